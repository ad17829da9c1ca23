/**
 * One shard of the simulated fleet: a child process that runs real SSH servers (ssh2 `Server`),
 * one per simulated host, each listening on its own loopback address. The launcher (fleet.ts)
 * talks to it over the IPC channel only.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { Server as SshServer, utils, type AuthContext, type Connection } from 'ssh2';
import { hostKeyFingerprint } from '../../backend/src/monitoring/probe/host-key';
import { BEHAVIOURS, type Behaviour, type BehaviourParams } from './behaviours';
import { generateEd25519 } from './keys';

export interface ShardHostSpec {
  index: number;
  address: string;
  behaviour: Behaviour;
}

export interface ShardStart {
  port: number;
  hosts: ShardHostSpec[];
  params: BehaviourParams;
  username: string;
  password: string;
  /** The shared client key, `ssh-ed25519 AAAA...` (authorized on every healthy host). */
  publicKey: string;
}

export interface HostStatus {
  index: number;
  address: string;
  port: number;
  behaviour: Behaviour;
  params: BehaviourParams;
  listening: boolean;
  /** TCP connections accepted since start (or the last counter reset). */
  connections: number;
  /** Connections that authenticated successfully. */
  authenticated: number;
  /** The host key currently presented, or null before the first SSH connection. */
  fingerprint: string | null;
}

export type ShardRequest =
  | { id: number; op: 'start'; start: ShardStart }
  | { id: number; op: 'list' }
  | {
      id: number;
      op: 'set';
      address: string;
      behaviour?: Behaviour;
      params?: Partial<BehaviourParams>;
    }
  | { id: number; op: 'reset_counters' }
  | { id: number; op: 'stop' };

export type ShardReply =
  { id: number; ok: true; value?: unknown } | { id: number; ok: false; error: string };

const HTTP_RESPONSE =
  'HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nBad Request';
const DROP_BANNER = 'SSH-2.0-OpenSSH_9.2p1 fleet-sim\r\n';
/** A silent peer lets go of a connection after this, so a forgotten client cannot pile them up. */
const SILENT_HOLD_MS = 120_000;

let shared: {
  username: string;
  password: string;
  keyBlob: Buffer;
  keyObject: KeyObject;
  port: number;
};

class SimHost {
  private server: NetServer | null = null;
  private ssh: SshServer | null = null;
  private readonly sockets = new Set<Socket>();
  private fingerprint: string | null = null;
  private handshakes = 0;
  private startedAt = Date.now();
  connections = 0;
  authenticated = 0;

  constructor(
    readonly index: number,
    readonly address: string,
    public behaviour: Behaviour,
    public params: BehaviourParams,
  ) {}

  status(): HostStatus {
    return {
      index: this.index,
      address: this.address,
      port: shared.port,
      behaviour: this.behaviour,
      params: this.params,
      listening: this.server !== null,
      connections: this.connections,
      authenticated: this.authenticated,
      fingerprint: this.fingerprint,
    };
  }

  /** Listens unless the behaviour says the port is closed. */
  async apply(): Promise<void> {
    this.startedAt = Date.now();
    const closed =
      this.behaviour === 'refused' ||
      (this.behaviour === 'dies_after' && this.connections >= this.params.diesAfter);
    if (closed) await this.close();
    else await this.listen();
  }

  async set(behaviour: Behaviour | undefined, params: Partial<BehaviourParams> | undefined) {
    if (behaviour !== undefined) {
      this.behaviour = behaviour;
      this.connections = 0;
      this.handshakes = 0;
      if (behaviour === 'rotate_key') this.ssh = null; // a fresh key now
    }
    this.params = { ...this.params, ...params };
    await this.apply();
  }

  private listen(): Promise<void> {
    if (this.server) return Promise.resolve();
    const server = createServer({ noDelay: true }, (socket) => this.onConnection(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: this.address, port: shared.port, backlog: 1024 }, () => {
        server.removeListener('error', reject);
        server.on('error', () => undefined);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private onConnection(socket: Socket): void {
    this.connections++;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.setNoDelay(true);
    const n = this.connections;
    switch (this.behaviour) {
      case 'healthy':
      case 'auth_fail':
        this.sshServer().injectSocket(socket);
        break;
      case 'slow':
        setTimeout(() => {
          if (!socket.destroyed) this.sshServer().injectSocket(socket);
        }, this.params.slowMs);
        break;
      case 'silent':
        socket.resume();
        socket.setTimeout(SILENT_HOLD_MS, () => socket.destroy());
        break;
      case 'not_ssh':
        socket.resume();
        socket.write(HTTP_RESPONSE);
        break;
      case 'drop':
        socket.resume();
        socket.end(DROP_BANNER);
        break;
      case 'flapping': {
        const phase =
          this.params.flapPeriodMs > 0
            ? Math.floor((Date.now() - this.startedAt) / this.params.flapPeriodMs)
            : Math.floor((n - 1) / this.params.flapEvery);
        if (phase % 2 === 0) this.sshServer().injectSocket(socket);
        else socket.resetAndDestroy();
        break;
      }
      case 'rotate_key':
        if (n > 1 && (n - 1) % this.params.rotateEvery === 0) this.ssh = null;
        this.sshServer().injectSocket(socket);
        break;
      case 'dies_after':
        this.sshServer().injectSocket(socket);
        if (n >= this.params.diesAfter) void this.closeListenerOnly();
        break;
      case 'refused':
        socket.destroy();
        break;
    }
  }

  /** Stops accepting (later connects are refused) but lets the current connection finish. */
  private async closeListenerOnly(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** This host's ssh2 server (made on first use; a new one means a new host key). */
  private sshServer(): SshServer {
    if (this.ssh) return this.ssh;
    const { privateKey: hostKey, publicBlob } = generateEd25519();
    this.fingerprint = hostKeyFingerprint(publicBlob);
    this.handshakes = 0;
    this.ssh = new SshServer({ hostKeys: [hostKey], ident: 'OpenSSH_9.2p1 fleet-sim' }, (client) =>
      this.onClient(client),
    );
    return this.ssh;
  }

  private onClient(client: Connection): void {
    client.on('error', () => undefined);
    client.on('handshake', () => this.handshakes++);
    client.on('authentication', (ctx) => {
      if (this.behaviour === 'slow') {
        setTimeout(() => this.authenticate(ctx), this.params.slowMs);
      } else {
        this.authenticate(ctx);
      }
    });
    client.on('ready', () => {
      this.authenticated++;
      // A probe disconnects here. `ssh host true` (the OpenSSH peer in the bench) asks for a
      // session and runs a command: accept it, report success, close.
      client.on('session', (accept) => {
        const session = accept();
        session.on('exec', (acceptExec) => {
          const channel = acceptExec();
          channel.exit(0);
          channel.end();
        });
      });
    });
  }

  private authenticate(ctx: AuthContext): void {
    const methods: Array<'publickey' | 'password'> = ['publickey', 'password'];
    if (this.behaviour === 'auth_fail') return ctx.reject(methods);
    if (ctx.username !== shared.username) return ctx.reject(methods);
    if (ctx.method === 'password') {
      return ctx.password === shared.password ? ctx.accept() : ctx.reject(methods);
    }
    if (ctx.method === 'publickey') {
      if (!ctx.key.data.equals(shared.keyBlob)) return ctx.reject(methods);
      if (!ctx.signature || !ctx.blob) return ctx.accept(); // "would this key do?"
      const algo = ctx.hashAlgo ?? null;
      const ok = verify(algo, ctx.blob, shared.keyObject, ctx.signature);
      return ok ? ctx.accept() : ctx.reject(methods);
    }
    ctx.reject(methods);
  }
}

const hosts = new Map<string, SimHost>();

/** The soft open-file limit this process got from the launcher's `ulimit -n`. */
function openFileLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line ? Number(line.split(/\s{2,}/)[1]) : NaN;
    return Number.isFinite(soft) ? soft : -1;
  } catch {
    return -1;
  }
}

async function start(spec: ShardStart): Promise<{ hosts: number; nofile: number }> {
  const parsed = utils.parseKey(spec.publicKey);
  if (parsed instanceof Error) throw parsed;
  shared = {
    username: spec.username,
    password: spec.password,
    keyBlob: parsed.getPublicSSH(),
    keyObject: createPublicKey(parsed.getPublicPEM()),
    port: spec.port,
  };
  for (const h of spec.hosts) {
    hosts.set(h.address, new SimHost(h.index, h.address, h.behaviour, { ...spec.params }));
  }
  // Bind in slices: thousands of listen() calls at once would only queue in libuv anyway.
  const all = [...hosts.values()];
  for (let i = 0; i < all.length; i += 500) {
    await Promise.all(all.slice(i, i + 500).map((h) => h.apply()));
  }
  return { hosts: hosts.size, nofile: openFileLimit() };
}

async function handle(request: ShardRequest): Promise<unknown> {
  switch (request.op) {
    case 'start':
      return start(request.start);
    case 'list':
      return [...hosts.values()].map((h) => h.status());
    case 'set': {
      const host = hosts.get(request.address);
      if (!host) throw new Error(`no simulated host at ${request.address}`);
      if (request.behaviour !== undefined && !BEHAVIOURS.includes(request.behaviour)) {
        throw new Error(`unknown behaviour "${request.behaviour}"`);
      }
      await host.set(request.behaviour, request.params);
      return host.status();
    }
    case 'reset_counters':
      for (const h of hosts.values()) {
        h.connections = 0;
        h.authenticated = 0;
      }
      return hosts.size;
    case 'stop':
      await Promise.all([...hosts.values()].map((h) => h.close()));
      setImmediate(() => process.exit(0));
      return hosts.size;
  }
}

if (require.main === module) {
  process.on('message', (message: ShardRequest) => {
    handle(message).then(
      (value) => process.send?.({ id: message.id, ok: true, value } satisfies ShardReply),
      (error: Error) =>
        process.send?.({ id: message.id, ok: false, error: error.message } satisfies ShardReply),
    );
  });
  // The launcher went away: nothing left to serve.
  process.on('disconnect', () => process.exit(0));
}
