/**
 * Small misbehaving TCP peers for probe tests, each on a free port of a loopback address.
 * Every peer tracks its open connections so a test can assert the probe left none behind.
 *
 *   import * as peers from '../support/peers';
 *   const peer = await peers.silent();
 *   ... probe 127.0.0.1:peer.port ...
 *   expect(await peers.waitForNoConnections(peer)).toBe(0);
 *   await peer.close();
 */
import { createHash } from 'node:crypto';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { Server as SshServer, utils, type AuthContext, type AuthenticationType } from 'ssh2';

export const LOOPBACK = '127.0.0.1';

export interface PeerOptions {
  /** Loopback address to listen on. Default 127.0.0.1. */
  host?: string;
}

export interface Peer {
  host: string;
  port: number;
  /** Connections accepted since the peer started. */
  readonly accepted: number;
  /** Connections currently open (net.Server#getConnections). */
  openConnections(): Promise<number>;
  /** Destroys every open connection and stops listening. Idempotent. */
  close(): Promise<void>;
}

/** Accepts TCP connections and never sends a byte. */
export function silent(options: PeerOptions = {}): Promise<Peer> {
  return tcpPeer(options, () => {
    // say nothing
  });
}

export interface SendsOptions extends PeerOptions {
  /** Close the connection after sending (default false: keep it open and say nothing more). */
  close?: boolean;
}

/** Sends `data` on every connection, then keeps the connection open (or closes it). */
export function sends(data: string | Buffer, options: SendsOptions = {}): Promise<Peer> {
  return tcpPeer(options, (socket) => {
    if (options.close) socket.end(data);
    else socket.write(data);
  });
}

export interface HttpBannerOptions extends PeerOptions {
  /** Close the connection after the response (default false: keep it open, as keep-alive does). */
  closeAfterResponse?: boolean;
}

export const HTTP_400_RESPONSE =
  'HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n' +
  'Connection: keep-alive\r\n\r\nBad Request';

/** Answers every connection with an HTTP 400 response, like a web server on the SSH port. */
export function httpBanner(options: HttpBannerOptions = {}): Promise<Peer> {
  return sends(HTTP_400_RESPONSE, { host: options.host, close: options.closeAfterResponse });
}

export const DROP_BANNER = 'SSH-2.0-OpenSSH_9.2\r\n';

/** Sends a valid SSH identification line, then closes before any key exchange. */
export function dropAfterBanner(options: PeerOptions = {}): Promise<Peer> {
  return tcpPeer(options, (socket) => {
    socket.end(DROP_BANNER);
  });
}

export interface SshPeer extends Peer {
  /** Fingerprint of the peer's host key (`SHA256:...`). */
  hostKeyFingerprint: string;
  /** Authentication requests received, in order (method and username only). */
  readonly authAttempts: ReadonlyArray<{ method: AuthenticationType; username: string }>;
}

export interface SshPeerOptions extends PeerOptions {
  /** Text lines sent before the SSH identification line (allowed by RFC 4253 §4.2). */
  greeting?: string;
}

/** A real SSH server (ssh2) with a generated ed25519 host key that rejects every authentication. */
export function refuseAuth(options: SshPeerOptions = {}): Promise<SshPeer> {
  return sshPeer(options, (ctx) => ctx.reject(['password', 'publickey']));
}

export interface KeyboardInteractiveOptions extends SshPeerOptions {
  username: string;
  password: string;
}

/**
 * An SSH server that offers only keyboard-interactive and accepts `password` as the answer to a
 * single hidden "Password:" prompt (the shape of a PAM-only server).
 */
export function keyboardInteractiveOnly(options: KeyboardInteractiveOptions): Promise<SshPeer> {
  return sshPeer(options, (ctx) => {
    if (ctx.method !== 'keyboard-interactive') {
      ctx.reject(['keyboard-interactive']);
      return;
    }
    ctx.prompt([{ prompt: 'Password: ', echo: false }], (answers) => {
      if (ctx.username === options.username && answers[0] === options.password) ctx.accept();
      else ctx.reject(['keyboard-interactive']);
    });
  });
}

/** A port on `host` that nothing listens on (bound, then released): connecting is refused. */
export async function closedPort(host = LOOPBACK): Promise<number> {
  const server = createServer();
  await listen(server, host);
  const port = portOf(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls until the peer has no open connection (or `timeoutMs` passed); returns the last count. */
export async function waitForNoConnections(peer: Peer, timeoutMs = 2000): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const open = await peer.openConnections();
    if (open === 0 || Date.now() >= until) return open;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function tcpPeer(options: PeerOptions, onSocket: (socket: Socket) => void): Promise<Peer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => {
      // resets from the probe are expected
    });
    socket.on('close', () => sockets.delete(socket));
    // Read and discard what the probe sends: a peer that never reads would never see the
    // probe's FIN ('end' comes after the buffered data), and its count would never drop.
    socket.resume();
    onSocket(socket);
  });
  await listen(server, options.host ?? LOOPBACK);
  return {
    host: options.host ?? LOOPBACK,
    port: portOf(server),
    get accepted() {
      return accepted;
    },
    openConnections: () => countConnections(server),
    close: () => closeServer(server, sockets),
  };
}

async function sshPeer(
  options: SshPeerOptions,
  onAuth: (ctx: AuthContext) => void,
): Promise<SshPeer> {
  const { private: hostKey, public: publicKey } = utils.generateKeyPairSync('ed25519');
  const parsed = utils.parseKey(publicKey);
  if (parsed instanceof Error) throw parsed;
  const blob = parsed.getPublicSSH();
  const fingerprint = `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;

  const attempts: Array<{ method: AuthenticationType; username: string }> = [];
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = new SshServer(
    { hostKeys: [hostKey], greeting: options.greeting },
    (connection) => {
      connection.on('error', () => {
        // the probe disconnects abruptly by design
      });
      connection.on('authentication', (ctx) => {
        attempts.push({ method: ctx.method, username: ctx.username });
        onAuth(ctx);
      });
      connection.on('ready', () => {
        // authenticated: a probe never asks for a session; just wait for it to disconnect
      });
    },
  );
  // ssh2's Server wraps a net.Server; track raw sockets there to be able to destroy them.
  const raw = (server as unknown as { _srv: NetServer })._srv;
  raw.prependListener('connection', (socket: Socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await listen(raw, options.host ?? LOOPBACK);
  return {
    host: options.host ?? LOOPBACK,
    port: portOf(raw),
    hostKeyFingerprint: fingerprint,
    get accepted() {
      return accepted;
    },
    get authAttempts() {
      return attempts;
    },
    openConnections: () => countConnections(raw),
    close: () => closeServer(raw, sockets),
  };
}

function listen(server: NetServer, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
}

function portOf(server: NetServer): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server is not listening');
  return address.port;
}

function countConnections(server: NetServer): Promise<number> {
  return new Promise((resolve, reject) =>
    server.getConnections((err, count) => (err ? reject(err) : resolve(count))),
  );
}

function closeServer(server: NetServer, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => server.close(() => resolve()));
}
