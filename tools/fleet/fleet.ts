/**
 * The fleet launcher as a library: starts the shard processes (real ssh2 servers, never in the
 * caller's process), raises their open-file limit, and offers a small HTTP control API on
 * loopback. Used by `npm run fleet`, `npm run demo`, `npm run bench` and the load test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { generateEd25519 } from './keys';
import {
  assignBehaviours,
  BEHAVIOURS,
  DEFAULT_PARAMS,
  hostAddress,
  hostName,
  parseHostChange,
  parseMix,
  type Behaviour,
  type BehaviourParams,
  type Mix,
} from './behaviours';
import type { HostStatus, ShardReply, ShardRequest } from './shard';

export interface FleetOptions {
  hosts: number;
  /** `healthy=70,refused=30` or a parsed mix. */
  mix: string | Mix;
  /** The SSH port every simulated host listens on (each on its own address). Default 2222. */
  port?: number;
  /** Shard processes. Default: 1 up to 2,000 hosts, else 2. */
  processes?: number;
  params?: Partial<BehaviourParams>;
  /** Control API port on 127.0.0.1; 0 picks a free one, null runs none. Default 0. */
  controlPort?: number | null;
  /** Index of the first host (to run several fleets side by side). Default 0. */
  firstIndex?: number;
  username?: string;
  password?: string;
  /** Encrypt the shared private key with this passphrase (as many real keys are). */
  passphrase?: string;
}

export interface FleetHost {
  index: number;
  hostname: string;
  address: string;
  port: number;
  behaviour: Behaviour;
}

export interface FleetCredential {
  username: string;
  password: string;
  /** OpenSSH-format private key (encrypted when a passphrase was given). */
  privateKey: string;
  passphrase: string | null;
  publicKey: string;
}

export interface Fleet {
  hosts: FleetHost[];
  port: number;
  credential: FleetCredential;
  params: BehaviourParams;
  /** `http://127.0.0.1:<port>` of the control API, or null. */
  controlUrl: string | null;
  /** Open-file limit each shard got. */
  nofile: number[];
  /** Shard process ids. */
  pids: number[];
  list(): Promise<HostStatus[]>;
  set(
    address: string,
    behaviour?: Behaviour,
    params?: Partial<BehaviourParams>,
  ): Promise<HostStatus>;
  resetCounters(): Promise<void>;
  stop(): Promise<void>;
}

/** Open files a shard may need: a listener per host plus two sides of many connections. */
const NOFILE_HEADROOM = 20000;

class ShardHandle {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  readonly exited: Promise<void>;

  constructor(
    readonly child: ChildProcess,
    readonly addresses: Set<string>,
  ) {
    child.on('message', (reply: ShardReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.value);
      else waiter.reject(new Error(reply.error));
    });
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        for (const w of this.pending.values()) {
          w.reject(new Error(`fleet shard ${child.pid} exited (${signal ?? code})`));
        }
        this.pending.clear();
        resolve();
      }),
    );
  }

  request<T>(req: Record<string, unknown> & { op: ShardRequest['op'] }): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      if (!this.child.connected) {
        this.pending.delete(id);
        reject(new Error(`fleet shard ${this.child.pid} is not running`));
        return;
      }
      this.child.send({ ...req, id });
    });
  }
}

/** Starts a shard under `ulimit -n`, raising the limit (root may raise the hard limit too). */
function spawnShard(nofile: number): ChildProcess {
  const fromSource = __filename.endsWith('.ts');
  const entry = join(__dirname, fromSource ? 'shard.ts' : 'shard.js');
  const nodeArgs = fromSource ? ['-r', join(__dirname, 'ts-register.js'), entry] : [entry];
  const script =
    `ulimit -Hn ${nofile} 2>/dev/null; ulimit -n ${nofile} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; ` +
    'exec "$0" "$@"';
  return spawn('/bin/sh', ['-c', script, process.execPath, ...nodeArgs], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const mix = typeof options.mix === 'string' ? parseMix(options.mix) : options.mix;
  if (!Number.isInteger(options.hosts) || options.hosts < 1) {
    throw new Error(`--hosts: a whole number ≥ 1, got ${options.hosts}`);
  }
  const port = options.port ?? 2222;
  const firstIndex = options.firstIndex ?? 0;
  const params: BehaviourParams = { ...DEFAULT_PARAMS, ...options.params };
  const processes = Math.max(1, Math.min(options.processes ?? (options.hosts > 2000 ? 2 : 1), 64));
  const behaviours = assignBehaviours(options.hosts, mix);
  const hosts: FleetHost[] = behaviours.map((behaviour, i) => ({
    index: firstIndex + i,
    hostname: hostName(firstIndex + i, behaviour),
    address: hostAddress(firstIndex + i),
    port,
    behaviour,
  }));

  const passphrase = options.passphrase ?? null;
  const keys = generateEd25519(passphrase ?? undefined);
  const credential: FleetCredential = {
    username: options.username ?? 'fleet',
    password: options.password ?? randomBytes(12).toString('base64url'),
    privateKey: keys.privateKey,
    passphrase,
    publicKey: keys.publicKey,
  };

  // Hosts are dealt round-robin, so every shard gets the same mix.
  const perShard: FleetHost[][] = Array.from({ length: processes }, () => []);
  hosts.forEach((h, i) => perShard[i % processes].push(h));
  const shards = perShard.map(
    (list) =>
      new ShardHandle(
        spawnShard(list.length + NOFILE_HEADROOM),
        new Set(list.map((h) => h.address)),
      ),
  );
  const stopShards = async () => {
    await Promise.all(
      shards.map(async (s) => {
        await s.request({ op: 'stop' }).catch(() => undefined);
        const timer = setTimeout(() => s.child.kill('SIGKILL'), 3000);
        await s.exited;
        clearTimeout(timer);
      }),
    );
  };

  let nofile: number[];
  try {
    nofile = await Promise.all(
      shards.map(async (shard, i) => {
        const started = await shard.request<{ hosts: number; nofile: number }>({
          op: 'start',
          start: {
            port,
            hosts: perShard[i].map(({ index, address, behaviour }) => ({
              index,
              address,
              behaviour,
            })),
            params,
            username: credential.username,
            password: credential.password,
            publicKey: credential.publicKey,
          },
        });
        return started.nofile;
      }),
    );
  } catch (error) {
    await stopShards();
    throw error;
  }

  const shardOf = (address: string) => shards.find((s) => s.addresses.has(address));
  const list = async () =>
    (await Promise.all(shards.map((s) => s.request<HostStatus[]>({ op: 'list' }))))
      .flat()
      .sort((a, b) => a.index - b.index);
  const set = async (address: string, behaviour?: Behaviour, p?: Partial<BehaviourParams>) => {
    const shard = shardOf(address);
    if (!shard) throw new NotFound(`no simulated host at ${address}`);
    return shard.request<HostStatus>({ op: 'set', address, behaviour, params: p });
  };
  const resetCounters = async () => {
    await Promise.all(shards.map((s) => s.request({ op: 'reset_counters' })));
  };

  let control: Server | null = null;
  let controlUrl: string | null = null;
  if (options.controlPort !== null) {
    control = createServer((req, res) => {
      void serveControl(req, res, { list, set, resetCounters }).catch((error: Error) =>
        reply(res, error instanceof NotFound ? 404 : 400, { error: error.message }),
      );
    });
    await new Promise<void>((resolve, reject) => {
      control!.once('error', reject);
      control!.listen(options.controlPort ?? 0, '127.0.0.1', () => resolve());
    });
    const address = control.address();
    controlUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  return {
    hosts,
    port,
    credential,
    params,
    controlUrl,
    nofile,
    pids: shards.map((s) => s.child.pid ?? 0),
    list,
    set,
    resetCounters,
    stop: async () => {
      if (control) await new Promise<void>((resolve) => control!.close(() => resolve()));
      control?.closeAllConnections();
      await stopShards();
    },
  };
}

class NotFound extends Error {}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body, null, 2);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
  });
  res.end(`${text}\n`);
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > 65536) reject(new Error('body too large'));
    });
    req.on('end', () => {
      try {
        resolve(text.trim() === '' ? undefined : JSON.parse(text));
      } catch {
        reject(new Error('body is not JSON'));
      }
    });
  });
}

const CONTROL_HELP = `fleet simulator control API
  GET  /hosts[?behaviour=<b>]      every simulated host: address, behaviour, connections, host key
  GET  /hosts/<address>            one host
  PUT  /hosts/<address>            {"behaviour": "<b>", "params": {"slowMs": 500, ...}} switches it now
  GET  /stats                      hosts, connections and authentications per behaviour
  POST /reset-counters             zeroes the connection counters
behaviours: ${BEHAVIOURS.join(', ')}
params: slowMs, flapEvery, flapPeriodMs, rotateEvery, diesAfter
`;

async function serveControl(
  req: IncomingMessage,
  res: ServerResponse,
  api: {
    list: () => Promise<HostStatus[]>;
    set: (a: string, b?: Behaviour, p?: Partial<BehaviourParams>) => Promise<HostStatus>;
    resetCounters: () => Promise<void>;
  },
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const parts = url.pathname.split('/').filter(Boolean);
  if (req.method === 'GET' && parts.length === 0) return reply(res, 200, CONTROL_HELP);
  if (req.method === 'GET' && parts[0] === 'hosts' && parts.length === 1) {
    const wanted = url.searchParams.get('behaviour');
    const all = await api.list();
    return reply(res, 200, wanted ? all.filter((h) => h.behaviour === wanted) : all);
  }
  if (parts[0] === 'hosts' && parts.length === 2) {
    if (req.method === 'GET') {
      const host = (await api.list()).find((h) => h.address === parts[1]);
      if (!host) throw new NotFound(`no simulated host at ${parts[1]}`);
      return reply(res, 200, host);
    }
    if (req.method === 'PUT') {
      const change = parseHostChange(await readBody(req));
      return reply(res, 200, await api.set(parts[1], change.behaviour, change.params));
    }
  }
  if (req.method === 'GET' && parts[0] === 'stats' && parts.length === 1) {
    const stats: Record<string, { hosts: number; connections: number; authenticated: number }> = {};
    for (const h of await api.list()) {
      const s = (stats[h.behaviour] ??= { hosts: 0, connections: 0, authenticated: 0 });
      s.hosts++;
      s.connections += h.connections;
      s.authenticated += h.authenticated;
    }
    return reply(res, 200, stats);
  }
  if (req.method === 'POST' && parts[0] === 'reset-counters' && parts.length === 1) {
    await api.resetCounters();
    return reply(res, 200, { reset: true });
  }
  return reply(res, 404, { error: `no route ${req.method} ${url.pathname}; GET / lists them` });
}
