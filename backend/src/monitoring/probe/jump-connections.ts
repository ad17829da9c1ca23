import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import type {
  JumpRequest,
  ObservedHostKey,
  ProbeErrorType,
  ProbeStage,
} from '../../common/probe.types';

/** A failed leg: where the probe ended and why, as its result will say. */
export interface LegFailure {
  stage: ProbeStage;
  errorType: ProbeErrorType;
  message: string;
  hostKey?: ObservedHostKey | null;
}

/** A channel to the target through a jump host, or why there is none. */
export type JumpOpen = { ok: true; stream: Duplex; release(): void } | ({ ok: false } & LegFailure);

/** Opens an authenticated SSH connection to a jump host (the probe's own legs, kept open). */
export type JumpConnect = (
  jump: JumpRequest,
  timeoutMs: number,
) => Promise<{ ok: true; client: Client; close(): void } | ({ ok: false } & LegFailure)>;

/**
 * Channels opened on one jump connection at most. OpenSSH does not count forwarded channels
 * against MaxSessions, but a busy bastion is better served by a few connections than by one
 * with hundreds of channels; past this many, another connection is opened.
 */
export const MAX_CHANNELS_PER_CONNECTION = 16;
/** A jump connection with no channel for this long is closed. */
export const JUMP_IDLE_MS = 15_000;

/** The SSH channel-open failure codes (RFC 4254 5.1) a jump host answers with. */
const ADMINISTRATIVELY_PROHIBITED = 1;
const CONNECT_FAILED = 2;

/** One SSH connection to a jump host: connecting, open, or gone. */
interface Shared {
  /** Settles once: the authenticated connection, or why there is none. */
  ready: Promise<{ client: Client; close(): void } | LegFailure>;
  /** Channels reserved on it (counted before it is even open, so none is over-filled). */
  channels: number;
  closed: boolean;
  idle: NodeJS.Timeout | null;
  close: (() => void) | null;
}

/**
 * The jump connections of one process: probes through the same jump host (same address, key,
 * credential and versions of both: JumpRequest.key) share its SSH connection, one
 * direct-tcpip channel each, so 500 hosts behind one bastion do not open 500 bastion sessions
 * per cycle. A probe reserves its channel on a connection with room (or a new one) before
 * anything is awaited, so probes that start together fill connections in turn. A connection
 * that fails or closes is dropped; the next probe opens a new one.
 */
export class JumpConnections {
  private readonly pools = new Map<string, Shared[]>();
  /** Jump connections opened since this pool was made (each an SSH login on a jump host). */
  opened = 0;

  constructor(private readonly connect: JumpConnect) {}

  /** Connections open or opening now (tests and the bench read it). */
  get connections(): number {
    let n = 0;
    for (const list of this.pools.values()) n += list.length;
    return n;
  }

  async open(
    jump: JumpRequest,
    target: { host: string; port: number },
    timeoutMs: number,
    retried = false,
  ): Promise<JumpOpen> {
    const shared = this.reserve(jump, timeoutMs);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      shared.channels -= 1;
      this.idleLater(jump.key, shared);
    };
    const ready = await shared.ready;
    if ('errorType' in ready) {
      release();
      return { ok: false, ...ready };
    }
    if (shared.closed) {
      // It closed between connecting and this channel: once more, on a new connection.
      release();
      if (retried) {
        return {
          ok: false,
          stage: 'jump',
          errorType: 'protocol_error',
          message: `jump host ${jump.host}:${jump.port} closed the connection`,
        };
      }
      return this.open(jump, target, timeoutMs, true);
    }
    return new Promise<JumpOpen>((resolve) => {
      let done = false;
      const timer = setTimeout(() => {
        done = true;
        release();
        resolve({
          ok: false,
          stage: 'connect',
          errorType: 'timeout',
          message: `no connection to ${target.host}:${target.port} through jump host ${jump.host}:${jump.port} within ${timeoutMs} ms`,
        });
      }, timeoutMs);
      try {
        ready.client.forwardOut('127.0.0.1', 0, target.host, target.port, (err, stream) => {
          clearTimeout(timer);
          if (done) {
            stream?.destroy();
            return;
          }
          done = true;
          if (err) {
            release();
            resolve({ ok: false, ...forwardFailure(err, jump, target) });
            return;
          }
          stream.once('close', release);
          resolve({ ok: true, stream, release });
        });
      } catch (err) {
        clearTimeout(timer);
        done = true;
        release();
        this.drop(jump.key, shared);
        resolve({
          ok: false,
          stage: 'jump',
          errorType: 'protocol_error',
          message: `jump host ${jump.host}:${jump.port}: ${(err as Error).message}`,
        });
      }
    });
  }

  /** Closes every jump connection (the process is stopping). */
  closeAll(): void {
    for (const list of this.pools.values()) for (const shared of list) this.close(shared);
    this.pools.clear();
  }

  /** A channel on a connection of this key with room, or on a new one; never awaits. */
  private reserve(jump: JumpRequest, timeoutMs: number): Shared {
    let list = this.pools.get(jump.key);
    if (!list) {
      list = [];
      this.pools.set(jump.key, list);
    }
    let shared = list.find((c) => !c.closed && c.channels < MAX_CHANNELS_PER_CONNECTION);
    if (!shared) {
      this.opened += 1;
      const created: Shared = {
        ready: this.connect(jump, timeoutMs).then((r) => {
          if (!r.ok) {
            const { ok: _ok, ...failure } = r;
            // A failed connection is not kept: the next probe tries again.
            this.drop(jump.key, created);
            return failure;
          }
          created.close = r.close;
          if (created.closed) r.close(); // dropped (closeAll) while it was connecting
          const gone = () => this.drop(jump.key, created);
          r.client.once('close', gone);
          r.client.on('error', gone);
          return { client: r.client, close: r.close };
        }),
        channels: 0,
        closed: false,
        idle: null,
        close: null,
      };
      list.push(created);
      shared = created;
    }
    shared.channels += 1;
    if (shared.idle) clearTimeout(shared.idle);
    shared.idle = null;
    return shared;
  }

  private idleLater(key: string, shared: Shared): void {
    if (shared.channels > 0 || shared.closed || shared.idle) return;
    shared.idle = setTimeout(() => {
      shared.idle = null;
      if (shared.channels === 0) this.drop(key, shared);
    }, JUMP_IDLE_MS);
    shared.idle.unref();
  }

  /** Closes a connection and forgets it: no new channel goes to it. */
  private drop(key: string, shared: Shared): void {
    const list = this.pools.get(key);
    if (list) {
      const i = list.indexOf(shared);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.pools.delete(key);
    }
    this.close(shared);
  }

  private close(shared: Shared): void {
    if (shared.closed) return;
    shared.closed = true;
    if (shared.idle) clearTimeout(shared.idle);
    shared.idle = null;
    shared.close?.();
  }
}

/** A refused or failed forward, said as the leg it belongs to. */
function forwardFailure(
  err: Error & { reason?: number },
  jump: JumpRequest,
  target: { host: string; port: number },
): LegFailure {
  const through = `through jump host ${jump.host}:${jump.port}`;
  const text = err.message.replace(/^\(SSH\) Channel open failure:\s*/, '');
  if (err.reason === CONNECT_FAILED) {
    // The jump host tried and the target did not take the connection: the target's failure.
    if (/refused/i.test(text)) {
      return {
        stage: 'connect',
        errorType: 'connection_refused',
        message: `connection refused by ${target.host}:${target.port} (${through})`,
      };
    }
    if (/timed? ?out/i.test(text)) {
      return {
        stage: 'connect',
        errorType: 'timeout',
        message: `no answer from ${target.host}:${target.port} (${through}): ${text}`,
      };
    }
    if (/no route|unreachable/i.test(text)) {
      return {
        stage: 'connect',
        errorType: /network/i.test(text) ? 'network_unreachable' : 'host_unreachable',
        message: `${target.host}:${target.port} unreachable (${through}): ${text}`,
      };
    }
    if (/name|resolve|not known/i.test(text)) {
      return {
        stage: 'connect',
        errorType: 'dns_failure',
        message: `${target.host} could not be resolved (${through}): ${text}`,
      };
    }
    return {
      stage: 'connect',
      errorType: 'connection_refused',
      message: `${target.host}:${target.port} could not be reached (${through}): ${text}`,
    };
  }
  return {
    stage: 'jump',
    errorType: 'protocol_error',
    message:
      err.reason === ADMINISTRATIVELY_PROHIBITED
        ? `jump host ${jump.host}:${jump.port} does not allow forwarding to ${target.host}:${target.port}: ${text}`
        : `jump host ${jump.host}:${jump.port} could not open a channel to ${target.host}:${target.port}: ${text}`,
  };
}
