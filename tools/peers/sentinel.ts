/**
 * A REAL Redis Sentinel (Debian's `redis-sentinel`) on a free loopback port, watching one
 * primary, with a temporary directory for the configuration file it rewrites as it learns.
 *
 *   const primary = await startRedis();
 *   const replica = await startRedis({ replicaOf: primary });
 *   const sentinels = await Promise.all([1, 2, 3].map(() => startSentinel({ name: 'main', primary })));
 *   ... REDIS_SENTINELS=sentinels.map(s => s.address).join(','), REDIS_SENTINEL_NAME=main ...
 *   await primary.crash();   // the sentinels promote the replica
 *   await sentinels[0].waitForPrimary(replica.port);
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { makeTempDir, removeDir } from './ssh-keys';
import { freePort } from './ports';
import { spawnPeer, waitFor, type PeerChild } from './child';

export const REDIS_SENTINEL = '/usr/bin/redis-sentinel';
const START_TIMEOUT_MS = 10_000;

export interface SentinelOptions {
  /** The primary's name (REDIS_SENTINEL_NAME). */
  name: string;
  primary: { host: string; port: number };
  /** Sentinels that must agree the primary is down. Default 2 (of three). */
  quorum?: number;
  /** How long the primary may not answer before it counts as down. Default 1000 ms. */
  downAfterMs?: number;
  /** Default 5000 ms. */
  failoverTimeoutMs?: number;
}

export interface Sentinel {
  readonly host: string;
  readonly port: number;
  /** `host:port`, as REDIS_SENTINELS lists it. */
  readonly address: string;
  logs(): string;
  /** The primary's address as this sentinel names it now. */
  primary(): Promise<{ host: string; port: number } | null>;
  /** Resolves once this sentinel names the primary on `port`. */
  waitForPrimary(port: number, timeoutMs?: number): Promise<void>;
  /** Ends it and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

export async function startSentinel(options: SentinelOptions): Promise<Sentinel> {
  const sentinel = new SentinelInstance(options);
  try {
    await sentinel.init();
    return sentinel;
  } catch (error) {
    await sentinel.stop();
    throw error;
  }
}

class SentinelInstance implements Sentinel {
  readonly host = '127.0.0.1';
  port = 0;
  private dir = '';
  private child: PeerChild | null = null;
  private stopped = false;

  constructor(private readonly options: SentinelOptions) {}

  get address(): string {
    return `${this.host}:${this.port}`;
  }

  logs(): string {
    return this.child?.output() ?? '';
  }

  async init(): Promise<void> {
    this.dir = await makeTempDir('hostwatch-sentinel-');
    this.port = await freePort(this.host);
    const { name, primary } = this.options;
    const config = join(this.dir, 'sentinel.conf');
    await writeFile(
      config,
      [
        `port ${this.port}`,
        `bind ${this.host}`,
        'protected-mode no',
        'daemonize no',
        `dir ${this.dir}`,
        'logfile ""',
        `sentinel monitor ${name} ${primary.host} ${primary.port} ${this.options.quorum ?? 2}`,
        `sentinel down-after-milliseconds ${name} ${this.options.downAfterMs ?? 1000}`,
        `sentinel failover-timeout ${name} ${this.options.failoverTimeoutMs ?? 5000}`,
        `sentinel parallel-syncs ${name} 1`,
        '',
      ].join('\n'),
    );
    const child = spawnPeer(REDIS_SENTINEL, [config]);
    this.child = child;
    await waitFor(
      async () => (await this.primary()) !== null,
      START_TIMEOUT_MS,
      () => new Error(`redis-sentinel on port ${this.port} did not start:\n${child.output()}`),
      child,
    );
  }

  async primary(): Promise<{ host: string; port: number } | null> {
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
      const reply = (await client.call(
        'SENTINEL',
        'get-master-addr-by-name',
        this.options.name,
      )) as [string, string] | null;
      return reply ? { host: reply[0], port: Number(reply[1]) } : null;
    } finally {
      client.disconnect();
    }
  }

  async waitForPrimary(port: number, timeoutMs = 30_000): Promise<void> {
    await waitFor(
      async () => (await this.primary())?.port === port,
      timeoutMs,
      () => new Error(`sentinel ${this.address} did not name port ${port}:\n${this.logs()}`),
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
