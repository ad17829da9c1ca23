/**
 * A REAL Redis for tests that break it: `redis-server` on a free loopback port with a
 * temporary directory of its own, never the machine's shared Redis.
 *
 *   const redis = await startRedis();
 *   ... REDIS_URL=redis.url ...
 *   await redis.crash();   // SIGKILL: connections drop, nothing saved
 *   await redis.start();   // same port, empty (no persistence unless asked)
 *   await redis.stop();
 */
import IORedis from 'ioredis';
import { makeTempDir, removeDir } from './ssh-keys';
import { freePort } from './ports';
import { spawnPeer, waitFor, type PeerChild } from './child';

export const REDIS_SERVER = '/usr/bin/redis-server';
const START_TIMEOUT_MS = 10_000;

export interface RedisOptions {
  /** Loopback address to listen on. Default 127.0.0.1. */
  host?: string;
  /** Start as a replica of this primary. */
  replicaOf?: { host: string; port: number };
  /** Keep data across restarts (append-only file). Default false: a restart loses every key. */
  persist?: boolean;
}

export interface RedisServer {
  readonly host: string;
  /** Stable across crash() and start(). */
  readonly port: number;
  /** `redis://host:port`. */
  readonly url: string;
  readonly running: boolean;
  /** redis-server's log so far. */
  logs(): string;
  /** One command on a short-lived connection (`call('INFO', 'replication')`). */
  call(...args: Array<string | number>): Promise<unknown>;
  /** SIGKILL: every connection drops at once and nothing is saved. */
  crash(): Promise<void>;
  /** Starts it again on the same port (after crash()); resolves once it answers PING. */
  start(): Promise<void>;
  /** A replica: resolves once its link to the primary is up and the first sync is done. */
  waitForSync(timeoutMs?: number): Promise<void>;
  /** Ends it and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

export async function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
  const server = new RedisInstance(options);
  try {
    await server.init();
    return server;
  } catch (error) {
    await server.stop();
    throw error;
  }
}

class RedisInstance implements RedisServer {
  readonly host: string;
  port = 0;
  private dir = '';
  private child: PeerChild | null = null;
  private stopped = false;

  constructor(private readonly options: RedisOptions) {
    this.host = options.host ?? '127.0.0.1';
  }

  get url(): string {
    return `redis://${this.host}:${this.port}`;
  }

  get running(): boolean {
    return this.child?.running ?? false;
  }

  logs(): string {
    return this.child?.output() ?? '';
  }

  async init(): Promise<void> {
    this.dir = await makeTempDir('hostwatch-redis-');
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      this.port = await freePort(this.host);
      try {
        await this.start();
        return;
      } catch (error) {
        lastError = error;
        // Someone took the port between probing and binding: try another.
        if (!/Address already in use/i.test(this.logs())) break;
      }
    }
    throw lastError;
  }

  async call(...args: Array<string | number>): Promise<unknown> {
    const client = new IORedis({
      host: this.host,
      port: this.port,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 2000,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return await client.call(String(args[0]), ...args.slice(1).map(String));
    } finally {
      client.disconnect();
    }
  }

  async crash(): Promise<void> {
    await this.child?.end('SIGKILL');
  }

  async start(): Promise<void> {
    if (this.running) return;
    const args = [
      '--port',
      String(this.port),
      '--bind',
      this.host,
      '--dir',
      this.dir,
      '--save',
      '',
      '--appendonly',
      this.options.persist ? 'yes' : 'no',
      '--protected-mode',
      'no',
      // A replica is in sync at once, not 5 s later.
      '--repl-diskless-sync-delay',
      '0',
      '--daemonize',
      'no',
      '--logfile',
      '',
    ];
    if (this.options.replicaOf) {
      args.push('--replicaof', this.options.replicaOf.host, String(this.options.replicaOf.port));
    }
    const child = spawnPeer(REDIS_SERVER, args);
    this.child = child;
    await waitFor(
      async () => (await this.call('PING')) === 'PONG',
      START_TIMEOUT_MS,
      () => new Error(`redis-server on port ${this.port} did not start:\n${child.output()}`),
      child,
    ).catch(async (error) => {
      await child.end('SIGKILL');
      throw error;
    });
  }

  async waitForSync(timeoutMs = 20_000): Promise<void> {
    await waitFor(
      async () => /master_link_status:up/.test(String(await this.call('INFO', 'replication'))),
      timeoutMs,
      () => new Error(`replica on port ${this.port} did not sync:\n${this.logs()}`),
      this.child ?? undefined,
    );
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.child?.end();
    if (this.dir) await removeDir(this.dir);
  }
}
