import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { Client } from 'ssh2';
import type {
  AnyAuthMethod,
  AuthenticationType,
  ConnectConfig,
  KeyboardInteractiveCallback,
  ParsedKey,
  Prompt,
} from 'ssh2';
import {
  classifyProbeError,
  ConnectionClosedError,
  CredentialError,
  NotSshError,
  ProbeTimeoutError,
  sanitize,
  type ProbeErrorContext,
} from './error-classification';
import { checkHostKey, observeHostKey } from './host-key';
import { JumpConnections, type JumpConnect } from './jump-connections';
import { ParsedKeyCache } from './parsed-key-cache';

/**
 * Algorithm preferences of the probe: ssh2's own lists, with the cheapest to compute first
 * where it changes nothing the check looks at. ECDH over nistp256 (classic ECDH, no key
 * objects to build and export) before curve25519, and AES-GCM (in hardware) before
 * chacha20-poly1305: about a fifth less CPU per check on both ends (docs/benchmarks.md). A
 * server that offers neither still agrees on the next in ssh2's order. The host-key
 * algorithms keep ssh2's order: the key a server presents, and so the pin, must not change.
 */
const PROBE_ALGORITHMS: ConnectConfig['algorithms'] = {
  kex: { prepend: ['ecdh-sha2-nistp256'], append: [], remove: [] },
  cipher: { prepend: ['aes128-gcm@openssh.com'], append: [], remove: [] },
};
import type {
  JumpRequest,
  ObservedHostKey,
  ProbeCredential,
  ProbeErrorType,
  ProbeRequest,
  ProbeResult,
  ProbeStage,
  SshProbe,
} from '../../common/probe.types';

/**
 * SSH probe on top of ssh2: TCP connect (own socket, own connect timeout) → SSH banner →
 * key exchange + host-key check → authentication (only when a credential is given). Never opens
 * a session: it authenticates and disconnects. Never throws, never rejects.
 *
 * Through a jump host (ProxyJump), the TCP connect is a direct-tcpip channel opened on an SSH
 * connection to the jump host, made with the jump host's own credential and checked against
 * its own pin, and shared by every probe through it (JumpConnections). A failure on that leg
 * ends at stage `jump` with the jump host's error type.
 */
@Injectable()
export class Ssh2Probe implements SshProbe, OnModuleDestroy {
  /** Private keys parsed once, not on every check (see ParsedKeyCache). */
  private readonly keys = new ParsedKeyCache();
  readonly jumps = new JumpConnections((jump, timeoutMs) => this.connectJump(jump, timeoutMs));

  probe(request: ProbeRequest): Promise<ProbeResult> {
    return new Promise<ProbeResult>((resolve) => {
      const run = new ProbeRun(request, resolve, this.keys, { jumps: this.jumps });
      try {
        run.start();
      } catch (err) {
        run.fail(err, 'probe');
      }
    });
  }

  onModuleDestroy(): void {
    this.jumps.closeAll();
  }

  /** The jump host's leg: the probe's own connect, key check and login, kept open. */
  private connectJump(jump: JumpRequest, timeoutMs: number): ReturnType<JumpConnect> {
    const name = `jump host ${jump.host}:${jump.port}`;
    if (jump.credential === null) {
      return Promise.resolve({
        ok: false,
        stage: 'jump',
        errorType: 'auth_failed',
        message: `${name} has no credential to log in with (its own, or a default one)`,
      });
    }
    return new Promise((resolve) => {
      const request: ProbeRequest = {
        host: jump.host,
        port: jump.port,
        hostKeyPolicy: jump.hostKeyPolicy,
        pinnedFingerprint: jump.pinnedFingerprint,
        credential: jump.credential,
        connectTimeoutMs: timeoutMs,
        timeoutMs,
      };
      const run = new ProbeRun(
        request,
        (result) => {
          if (result.success) return; // handed over by `keep`
          resolve({
            ok: false,
            stage: 'jump',
            errorType: result.error_type ?? 'internal_error',
            message: `${name}: ${result.error_message ?? 'failed'}`,
            hostKey: result.host_key,
          });
        },
        this.keys,
        {
          keep: (client, socket) =>
            resolve({
              ok: true,
              client,
              close: () => {
                try {
                  client.end();
                } catch {
                  // the socket is destroyed below anyway
                }
                socket.destroy();
              },
            }),
        },
      );
      try {
        run.start();
      } catch (err) {
        run.fail(err, 'probe');
      }
    });
  }
}

/** Username sent when no credential is given; the probe stops before authentication anyway. */
const NO_CREDENTIAL_USERNAME = 'hostwatch';
/** Bytes of pre-banner text tolerated before deciding the peer is not an SSH server. */
const MAX_PRE_BANNER_BYTES = 8192;
const SSH_PREFIX = 'SSH-';
const HTTP_LINE = /^HTTP\/\d/;
/** Bytes that never occur in the text lines a server may send before its SSH identification. */
// eslint-disable-next-line no-control-regex
const BINARY = /[\x00-\x08\x0e-\x1f\x7f]/;
const noop = (): void => {};
/** setTimeout fires at once for larger delays (they overflow a signed 32-bit integer). */
const MAX_TIMER_MS = 2 ** 31 - 1;

type Outcome =
  | { success: true; stage: ProbeStage }
  | { success: false; stage: ProbeStage; errorType: ProbeErrorType; message: string };

/** One probe: owns its socket, timers and ssh2 client until it settles, exactly once. */
class ProbeRun {
  private readonly startedAt = performance.now();
  private stage: ProbeStage = 'connect';
  private settled = false;
  /** The TCP socket, or the channel through the jump host. */
  private socket: Duplex | null = null;
  /** Gives the jump channel back to its connection's count, once. */
  private releaseChannel: (() => void) | null = null;
  private client: Client | null = null;
  private connectTimer: NodeJS.Timeout | null = null;
  private deadlineTimer: NodeJS.Timeout | null = null;
  private hostKey: ObservedHostKey | null = null;
  /** Received bytes (latin1) of the current, incomplete pre-banner line. */
  private pending = '';
  private preBannerBytes = 0;
  private nonSshLine: string | null = null;
  private privateKey: ParsedKey | null = null;
  private authAttempt = 0;
  private serverAuthMethods: readonly string[] | null = null;

  constructor(
    private readonly request: ProbeRequest,
    private readonly resolve: (result: ProbeResult) => void,
    private readonly keys: ParsedKeyCache,
    private readonly options: {
      /** Where to open channels through jump hosts. */
      jumps?: JumpConnections;
      /** On success, hands the authenticated connection over instead of closing it. */
      keep?: (client: Client, socket: Duplex) => void;
    } = {},
  ) {}

  start(): void {
    const { host, port, connectTimeoutMs, timeoutMs, credential } = this.request;
    const invalid = validateRequest(this.request);
    if (invalid !== null) {
      this.settle({
        success: false,
        stage: 'connect',
        errorType: 'internal_error',
        message: invalid,
      });
      return;
    }
    if (credential !== null) {
      // Parse the key before touching the network: a key that cannot be used fails fast.
      const problem = this.prepareCredential(credential);
      if (problem !== null) {
        this.fail(new CredentialError(problem), 'probe');
        return;
      }
    }

    this.deadlineTimer = setTimeout(this.onDeadline, timeoutMs);
    if (this.request.jump && this.options.jumps) {
      this.startThroughJump(this.request.jump, this.options.jumps);
      return;
    }
    if (connectTimeoutMs < timeoutMs) {
      this.connectTimer = setTimeout(this.onConnectTimeout, connectTimeoutMs);
    }
    const socket = (this.socket = new Socket());
    socket.once('connect', this.onConnect);
    socket.on('error', this.onSocketError);
    socket.on('close', this.onSocketClose);
    socket.connect({ host, port });
  }

  /** The connect step through a jump host: a channel on its shared connection. */
  private startThroughJump(jump: JumpRequest, jumps: JumpConnections): void {
    const { host, port, connectTimeoutMs, timeoutMs } = this.request;
    this.stage = 'jump';
    void jumps.open(jump, { host, port }, Math.min(connectTimeoutMs, timeoutMs)).then((opened) => {
      if (!opened.ok) {
        this.settle({
          success: false,
          stage: opened.stage,
          errorType: opened.errorType,
          message: opened.message,
        });
        return;
      }
      if (this.settled) {
        opened.stream.destroy();
        opened.release();
        return;
      }
      this.releaseChannel = opened.release;
      this.stage = 'connect';
      const stream = (this.socket = opened.stream);
      stream.on('error', this.onSocketError);
      stream.on('close', this.onSocketClose);
      this.onConnect();
    });
  }

  /** Settles with the classification of `err`; a no-op once settled. */
  fail(err: unknown, origin: ProbeErrorContext['origin']): void {
    if (this.settled) return;
    const { type, message } = classifyProbeError(err, this.errorContext(origin));
    this.settle({ success: false, stage: this.stage, errorType: type, message });
  }

  private errorContext(origin: ProbeErrorContext['origin']): ProbeErrorContext {
    const credential = this.request.credential;
    return {
      stage: this.stage,
      host: this.request.host,
      port: this.request.port,
      nonSshLine: this.nonSshLine,
      username: credential?.username,
      authMethod: credential?.auth_method,
      serverAuthMethods: this.serverAuthMethods,
      origin,
    };
  }

  private prepareCredential(credential: ProbeCredential): string | null {
    if (typeof credential.username !== 'string' || credential.username === '') {
      return 'the credential has no username';
    }
    if (credential.auth_method === 'password') {
      return typeof credential.password === 'string' ? null : 'the credential has no password';
    }
    if (credential.auth_method !== 'private_key') {
      return `unsupported authentication method "${sanitize(String(credential.auth_method), 40)}"`;
    }
    if (typeof credential.private_key !== 'string' || credential.private_key.trim() === '') {
      return 'the credential has no private key';
    }
    const passphrase = credential.passphrase ? credential.passphrase : undefined;
    const parsed = this.keys.get(credential.private_key, passphrase);
    if (parsed instanceof Error) {
      const hint =
        passphrase !== undefined && !/passphrase/i.test(parsed.message)
          ? ' (wrong passphrase?)'
          : '';
      return `the private key could not be parsed: ${sanitize(parsed.message, 200)}${hint}`;
    }
    const key = parsed;
    if (!key.isPrivateKey()) {
      return 'the private key field does not contain a private key';
    }
    this.privateKey = key;
    return null;
  }

  private readonly onConnect = (): void => {
    if (this.settled) return;
    this.clearConnectTimer();
    this.stage = 'banner';
    const socket = this.socket as Duplex;
    if (socket instanceof Socket) socket.setNoDelay(true);

    const client = (this.client = new Client());
    client.on('error', this.onClientError);
    client.once('handshake', this.onHandshake);
    client.once('ready', this.onReady);
    const config: ConnectConfig = {
      sock: socket,
      username: this.request.credential?.username ?? NO_CREDENTIAL_USERNAME,
      // The probe's own deadline covers the handshake; ssh2's timer would be a second one.
      readyTimeout: 0,
      keepaliveInterval: 0,
      hostVerifier: this.verifyHostKey,
      authHandler: this.nextAuth as ConnectConfig['authHandler'],
      algorithms: PROBE_ALGORITHMS,
    };
    try {
      client.connect(config);
    } catch (err) {
      this.fail(err, 'probe');
      return;
    }
    // ssh2 has paused the socket and resumes it once its crypto is ready; this listener is
    // registered before ssh2's own, so it sees every byte first.
    socket.on('data', this.onData);
  };

  /** Watches the bytes before the SSH identification line (stage banner only). */
  private readonly onData = (chunk: Buffer): void => {
    if (this.settled || this.stage !== 'banner') return;
    try {
      this.scanBanner(chunk);
    } catch (err) {
      this.fail(err, 'probe');
    }
  };

  private scanBanner(chunk: Buffer): void {
    this.preBannerBytes += chunk.length;
    let text = this.pending + chunk.toString('latin1');
    for (;;) {
      const nl = text.indexOf('\n');
      const complete = nl !== -1;
      let line = complete ? text.slice(0, nl) : text;
      if (complete && line.endsWith('\r')) line = line.slice(0, -1);
      if (line.startsWith(SSH_PREFIX)) {
        this.stage = 'kex';
        this.pending = '';
        this.socket?.removeListener('data', this.onData);
        return;
      }
      if (HTTP_LINE.test(line) || BINARY.test(line)) {
        this.fail(new NotSshError(line), 'probe');
        return;
      }
      if (!complete) {
        // An incomplete line: it may still turn out to be the identification line.
        this.pending = text;
        if (this.preBannerBytes > MAX_PRE_BANNER_BYTES) {
          this.fail(new NotSshError(this.nonSshLine ?? line), 'probe');
        }
        return;
      }
      if (this.nonSshLine === null) this.nonSshLine = line;
      text = text.slice(nl + 1);
    }
  }

  private readonly verifyHostKey = (key: Buffer): boolean => {
    if (this.settled) return false;
    // ssh2 only verifies after the identification line, whatever our own parser saw.
    if (this.stage === 'banner') this.stage = 'kex';
    const observed = (this.hostKey = observeHostKey(key));
    const decision = checkHostKey(
      this.request.hostKeyPolicy,
      this.request.pinnedFingerprint,
      observed,
    );
    if (decision.accepted) return true;
    this.settle({
      success: false,
      stage: 'kex',
      errorType: decision.errorType,
      message: decision.message,
    });
    return false;
  };

  private readonly onHandshake = (): void => {
    if (this.settled) return;
    if (this.request.credential === null) {
      // "SSH answered and presented an acceptable host key": stop before authentication.
      this.settle({ success: true, stage: 'kex' });
      return;
    }
    this.stage = 'auth';
  };

  private readonly onReady = (): void => {
    if (this.settled) return;
    this.stage = 'auth';
    this.settle({ success: true, stage: 'auth' });
  };

  /** ssh2 authHandler: one attempt with the credential (no `none` round trip first). */
  private readonly nextAuth = (authsLeft: AuthenticationType[] | null): AnyAuthMethod | false => {
    if (authsLeft) this.serverAuthMethods = authsLeft;
    const credential = this.request.credential;
    if (credential === null || this.settled) return false;
    const attempt = this.authAttempt++;
    const username = credential.username;
    if (credential.auth_method === 'private_key') {
      return attempt === 0 && this.privateKey !== null
        ? { type: 'publickey', username, key: this.privateKey }
        : false;
    }
    const password = credential.password ?? '';
    if (attempt === 0) return { type: 'password', username, password };
    // Servers that take passwords only through keyboard-interactive (PAM setups).
    if (attempt === 1 && authsLeft?.includes('keyboard-interactive')) {
      return {
        type: 'keyboard-interactive',
        username,
        prompt: (
          _name: string,
          _instructions: string,
          _lang: string,
          prompts: Prompt[],
          finish: KeyboardInteractiveCallback,
        ) => {
          // Answer a single hidden prompt (the password prompt); anything else (a one-time code,
          // several questions) cannot be answered from a password credential.
          const answerable = prompts.length === 1 && prompts[0].echo !== true;
          finish(answerable ? [password] : prompts.map(() => ''));
        },
      };
    }
    return false;
  };

  private readonly onClientError = (err: Error): void => {
    this.fail(err, 'ssh2');
  };

  private readonly onSocketError = (err: Error): void => {
    this.fail(err, 'socket');
  };

  private readonly onSocketClose = (): void => {
    this.fail(new ConnectionClosedError(), 'socket');
  };

  private readonly onConnectTimeout = (): void => {
    this.connectTimer = null;
    if (this.stage === 'connect') {
      this.fail(new ProbeTimeoutError('connect', this.request.connectTimeoutMs), 'probe');
    }
  };

  private readonly onDeadline = (): void => {
    this.deadlineTimer = null;
    this.fail(new ProbeTimeoutError('deadline', this.request.timeoutMs), 'probe');
  };

  private clearConnectTimer(): void {
    if (this.connectTimer !== null) {
      clearTimeout(this.connectTimer);
      this.connectTimer = null;
    }
  }

  private settle(outcome: Outcome): void {
    if (this.settled) return;
    this.settled = true;
    const elapsed = Math.max(0, Math.round(performance.now() - this.startedAt));
    if (outcome.success && this.options.keep && this.client && this.socket) {
      this.handOver(this.client, this.socket, this.options.keep);
    } else {
      this.release(outcome.success);
    }
    const result: ProbeResult = outcome.success
      ? {
          success: true,
          stage: outcome.stage,
          response_time_ms: elapsed,
          error_type: null,
          error_message: null,
          host_key: this.hostKey,
        }
      : {
          success: false,
          stage: outcome.stage,
          response_time_ms: elapsed,
          error_type: outcome.errorType,
          error_message: redact(outcome.message, this.request.credential),
          host_key: this.hostKey,
        };
    this.privateKey = null;
    this.resolve(result);
  }

  /** Keeps the connection open for whoever asked to keep it, with this run's listeners gone. */
  private handOver(client: Client, socket: Duplex, keep: (c: Client, s: Duplex) => void): void {
    this.clearTimers();
    client.removeListener('error', this.onClientError);
    client.removeListener('handshake', this.onHandshake);
    client.removeListener('ready', this.onReady);
    client.on('error', noop);
    socket.removeListener('connect', this.onConnect);
    socket.removeListener('error', this.onSocketError);
    socket.removeListener('close', this.onSocketClose);
    socket.removeListener('data', this.onData);
    socket.on('error', noop);
    keep(client, socket);
  }

  private clearTimers(): void {
    this.clearConnectTimer();
    if (this.deadlineTimer !== null) {
      clearTimeout(this.deadlineTimer);
      this.deadlineTimer = null;
    }
  }

  /** Clears timers, detaches listeners and destroys the socket, whatever the outcome. */
  private release(graceful: boolean): void {
    this.clearConnectTimer();
    if (this.deadlineTimer !== null) {
      clearTimeout(this.deadlineTimer);
      this.deadlineTimer = null;
    }
    const client = this.client;
    if (client !== null) {
      client.removeListener('error', this.onClientError);
      client.removeListener('handshake', this.onHandshake);
      client.removeListener('ready', this.onReady);
      // ssh2 may still emit (e.g. after a refused host key); an unheard 'error' would throw.
      client.on('error', noop);
      if (graceful) {
        try {
          client.end(); // SSH_MSG_DISCONNECT "by application", then FIN
        } catch {
          // the socket is destroyed below anyway
        }
      }
    }
    const socket = this.socket;
    if (socket !== null) {
      socket.removeListener('connect', this.onConnect);
      socket.removeListener('error', this.onSocketError);
      socket.removeListener('close', this.onSocketClose);
      socket.removeListener('data', this.onData);
      socket.on('error', noop);
      socket.destroy();
    }
    this.releaseChannel?.();
    this.releaseChannel = null;
  }
}

function validateRequest(request: ProbeRequest): string | null {
  if (typeof request.host !== 'string' || request.host.trim() === '') {
    return 'invalid probe request: empty host';
  }
  if (!Number.isInteger(request.port) || request.port < 1 || request.port > 65535) {
    return `invalid probe request: port ${sanitize(String(request.port), 20)} is not in 1-65535`;
  }
  const validTimeout = (ms: number) => typeof ms === 'number' && ms > 0 && ms <= MAX_TIMER_MS;
  if (!validTimeout(request.timeoutMs) || !validTimeout(request.connectTimeoutMs)) {
    return `invalid probe request: timeouts must be between 1 and ${MAX_TIMER_MS} ms`;
  }
  return null;
}

/** Removes every secret of the credential from a message (defence in depth). */
function redact(message: string, credential: ProbeCredential | null): string {
  if (credential === null) return message;
  let out = message;
  for (const secret of [credential.password, credential.passphrase]) {
    if (secret) out = out.split(secret).join('[redacted]');
  }
  const key = credential.private_key;
  if (key) {
    for (const line of key.split(/\r?\n/)) {
      const trimmed = line.trim();
      if (trimmed.length >= 16 && !trimmed.startsWith('-----')) {
        out = out.split(trimmed).join('[redacted]');
      }
    }
  }
  return out;
}
