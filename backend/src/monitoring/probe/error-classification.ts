import type { AuthMethod, ProbeErrorType, ProbeStage } from '../../common/probe.types';

/**
 * Turns whatever went wrong during a probe (a socket error, an ssh2 error, the probe's own
 * timers) into the probe's error vocabulary and an operator-readable message. Pure: no I/O,
 * no clock, no Nest.
 */

/** What the probe knew when the error happened. */
export interface ProbeErrorContext {
  /** The stage the probe was in (the one that failed). */
  stage: ProbeStage;
  host: string;
  port: number;
  /**
   * The first line the server sent that is not an SSH identification line, when it sent one
   * before any `SSH-` line (RFC 4253 allows such lines, a non-SSH service sends only those).
   */
  nonSshLine?: string | null;
  /** For authentication errors. */
  username?: string;
  authMethod?: AuthMethod;
  /** The methods the server said it would accept, from its last USERAUTH_FAILURE. */
  serverAuthMethods?: readonly string[] | null;
  /**
   * `ssh2`: the error was emitted by the ssh2 client (its parser and state machine), so an
   * error without a socket code is a protocol error rather than a bug of the probe.
   */
  origin?: 'socket' | 'ssh2' | 'probe';
}

export interface ClassifiedProbeError {
  type: ProbeErrorType;
  message: string;
}

/** One of the probe's own timers fired. */
export class ProbeTimeoutError extends Error {
  constructor(
    /** `connect`: the TCP connect timeout; `deadline`: the probe's total deadline. */
    readonly timer: 'connect' | 'deadline',
    readonly ms: number,
  ) {
    super(`${timer} timer fired after ${ms} ms`);
    this.name = 'ProbeTimeoutError';
  }
}

/** The server clearly speaks something else than SSH (e.g. an HTTP response). */
export class NotSshError extends Error {
  constructor(readonly firstLine: string) {
    super('not an SSH identification line');
    this.name = 'NotSshError';
  }
}

/** The connection closed (FIN, or reset noticed as close) before the probe had an outcome. */
export class ConnectionClosedError extends Error {
  constructor() {
    super('connection closed');
    this.name = 'ConnectionClosedError';
  }
}

/** The credential could not be used locally (e.g. a private key that cannot be parsed). */
export class CredentialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialError';
  }
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_NODATA', 'EAI_FAIL']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
/** SSH_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE, SSH_DISCONNECT_ILLEGAL_USER_NAME. */
const AUTH_DISCONNECT_REASONS = new Set([14, 15]);
/** Messages ssh2 throws while parsing what should be the identification line. */
const HEADER_ERROR = /identification|greeting|header/i;
/** ssh2 error levels that are not about the SSH protocol itself. */
const NON_PROTOCOL_LEVELS = new Set(['client-socket', 'client-dns', 'agent']);

export function classifyProbeError(err: unknown, context: ProbeErrorContext): ClassifiedProbeError {
  const where = formatAddress(context.host, context.port);

  if (err instanceof ProbeTimeoutError) {
    if (context.stage === 'banner' && context.nonSshLine != null) {
      // Only non-SSH lines, then nothing: another service that waits for its client to talk.
      return {
        type: 'not_ssh',
        message: `${notSshMessage(where, context.nonSshLine)} (no SSH identification within ${err.ms} ms)`,
      };
    }
    return { type: 'timeout', message: timeoutMessage(context, err.ms, err.timer) };
  }
  if (err instanceof NotSshError) {
    return { type: 'not_ssh', message: notSshMessage(where, err.firstLine) };
  }
  if (err instanceof CredentialError) {
    return { type: 'internal_error', message: err.message };
  }
  if (err instanceof ConnectionClosedError || isConnectionLostBeforeHandshake(err)) {
    return closedOrReset(context, where, 'closed');
  }

  const code = errorCode(err);
  if (typeof code === 'string') {
    if (DNS_CODES.has(code)) {
      return {
        type: 'dns_failure',
        message: `could not resolve host name "${sanitize(context.host)}" (${code})`,
      };
    }
    switch (code) {
      case 'ECONNREFUSED':
        return { type: 'connection_refused', message: `connection refused by ${where}` };
      case 'EHOSTUNREACH':
      case 'EHOSTDOWN':
        return { type: 'host_unreachable', message: `host ${where} is unreachable (${code})` };
      case 'ENETUNREACH':
        return {
          type: 'network_unreachable',
          message: `network unreachable while connecting to ${where} (${code})`,
        };
      case 'ETIMEDOUT':
        return { type: 'timeout', message: `${stageTimeoutPrefix(context, where)} (ETIMEDOUT)` };
    }
    if (RESET_CODES.has(code)) return closedOrReset(context, where, `reset (${code})`);
  }

  const level = errorLevel(err);
  const message = errorMessage(err);

  if (level === 'client-authentication') {
    return { type: 'auth_failed', message: authFailedMessage(context) };
  }
  if (level === 'client-timeout') {
    return { type: 'timeout', message: timeoutMessage(context, null, 'deadline') };
  }
  if (typeof code === 'number') {
    // The server sent SSH_MSG_DISCONNECT (ssh2 puts the reason code in `code`).
    if (
      context.stage === 'auth' &&
      (AUTH_DISCONNECT_REASONS.has(code) || /auth/i.test(message ?? ''))
    ) {
      return {
        type: 'auth_failed',
        message: `${authFailedMessage(context)}; the server disconnected: ${sanitize(message ?? String(code))}`,
      };
    }
    return {
      type: 'protocol_error',
      message: `server ${where} disconnected during ${stageActivity(context.stage)}: ${sanitize(message ?? String(code))}`,
    };
  }
  const fromProtocol =
    level === 'protocol' ||
    level === 'handshake' ||
    (context.origin === 'ssh2' && (level === undefined || !NON_PROTOCOL_LEVELS.has(level)));
  if (fromProtocol) {
    if (context.stage === 'banner' || context.stage === 'connect') {
      if (context.nonSshLine != null) {
        return { type: 'not_ssh', message: notSshMessage(where, context.nonSshLine) };
      }
      if (level === undefined && message && HEADER_ERROR.test(message)) {
        return {
          type: 'not_ssh',
          message: `${where} did not send a valid SSH identification line: ${sanitize(message)}`,
        };
      }
    }
    return {
      type: 'protocol_error',
      message: `SSH protocol error during ${stageActivity(context.stage)} with ${where}: ${sanitize(message ?? 'unknown error')}`,
    };
  }

  return {
    type: 'internal_error',
    message: `unexpected error during ${stageActivity(context.stage)} with ${where}: ${describe(err)}`,
  };
}

/** `host:port`, with brackets around IPv6 literals. */
export function formatAddress(host: string, port: number): string {
  const h = sanitize(host, 255);
  return h.includes(':') ? `[${h}]:${port}` : `${h}:${port}`;
}

/** Printable ASCII only, at most `max` characters: safe to put a peer's bytes in a message. */
export function sanitize(text: string, max = 120): string {
  const printable = text.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > max ? `${printable.slice(0, max)}...` : printable;
}

function timeoutMessage(
  context: ProbeErrorContext,
  ms: number | null,
  timer: 'connect' | 'deadline',
): string {
  const within = ms === null ? '' : ` within ${ms} ms`;
  const where = formatAddress(context.host, context.port);
  switch (context.stage) {
    case 'jump':
      return `the jump host did not open a connection to ${where}${within}`;
    case 'connect':
      return timer === 'connect'
        ? `TCP connect to ${where} did not complete${within} (connect timeout)`
        : `TCP connect to ${where} did not complete${within}`;
    case 'banner':
      return `no SSH banner${within} from ${where} (TCP connection established)`;
    case 'kex':
      return `key exchange with ${where} did not complete${within}`;
    case 'auth':
      return `authentication with ${where} did not complete${within}`;
  }
}

function stageTimeoutPrefix(context: ProbeErrorContext, where: string): string {
  switch (context.stage) {
    case 'jump':
      return `timed out waiting for the jump host's connection to ${where}`;
    case 'connect':
      return `TCP connect to ${where} timed out`;
    case 'banner':
      return `timed out waiting for the SSH banner from ${where}`;
    case 'kex':
      return `timed out during key exchange with ${where}`;
    case 'auth':
      return `timed out during authentication with ${where}`;
  }
}

function stageActivity(stage: ProbeStage): string {
  switch (stage) {
    case 'jump':
      return "the jump host's leg";
    case 'connect':
      return 'TCP connect';
    case 'banner':
      return 'the SSH banner exchange';
    case 'kex':
      return 'key exchange';
    case 'auth':
      return 'authentication';
  }
}

function closedOrReset(
  context: ProbeErrorContext,
  where: string,
  how: string,
): ClassifiedProbeError {
  if ((context.stage === 'banner' || context.stage === 'connect') && context.nonSshLine != null) {
    return { type: 'not_ssh', message: notSshMessage(where, context.nonSshLine) };
  }
  switch (context.stage) {
    case 'jump':
    case 'connect':
    case 'banner':
      return {
        type: 'protocol_error',
        message: `connection ${how} by ${where} before it sent an SSH banner`,
      };
    case 'kex':
      return {
        type: 'protocol_error',
        message: `connection ${how} by ${where} after the SSH banner, before key exchange completed`,
      };
    case 'auth':
      return {
        type: 'protocol_error',
        message: `connection ${how} by ${where} during authentication`,
      };
  }
}

function notSshMessage(where: string, firstLine: string): string {
  return `${where} is not an SSH server: it sent ${describeReceived(firstLine)} instead of an SSH identification line`;
}

/** Text as a quoted, sanitised string; binary (e.g. a TLS alert) as its first bytes in hex. */
function describeReceived(received: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\x00-\x08\x0e-\x1f\x7f]/.test(received)) return `"${sanitize(received)}"`;
  const bytes: string[] = [];
  for (let i = 0; i < Math.min(received.length, 16); i++) {
    bytes.push((received.charCodeAt(i) & 0xff).toString(16).padStart(2, '0'));
  }
  return `binary data (${bytes.join(' ')}${received.length > 16 ? ' ...' : ''})`;
}

function authFailedMessage(context: ProbeErrorContext): string {
  const user = context.username !== undefined ? ` as "${sanitize(context.username, 64)}"` : '';
  const method =
    context.authMethod === 'private_key'
      ? ' with the private key'
      : context.authMethod === 'password'
        ? ' with the password'
        : '';
  const offered =
    context.serverAuthMethods && context.serverAuthMethods.length > 0
      ? ` (server accepts: ${context.serverAuthMethods.map((m) => sanitize(m, 40)).join(', ')})`
      : '';
  return `authentication${user}${method} was rejected by the server${offered}`;
}

function isConnectionLostBeforeHandshake(err: unknown): boolean {
  return errorLevel(err) === 'protocol' && /connection lost/i.test(errorMessage(err) ?? '');
}

function errorCode(err: unknown): string | number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') return code;
  // Node's happy-eyeballs connect (autoSelectFamily) reports an AggregateError.
  const inner = (err as { errors?: unknown }).errors;
  if (Array.isArray(inner) && inner.length > 0) return errorCode(inner[0]);
  return undefined;
}

function errorLevel(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const level = (err as { level?: unknown }).level;
  return typeof level === 'string' ? level : undefined;
}

function errorMessage(err: unknown): string | undefined {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null) {
    const message = (err as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  }
  return undefined;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = errorCode(err);
    const suffix = code !== undefined ? ` (${String(code)})` : '';
    return sanitize(`${err.name}: ${err.message}${suffix}`, 300);
  }
  if (typeof err === 'string') return sanitize(err, 300);
  return sanitize(`non-error value thrown: ${typeof err}`, 300);
}
