import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { AppConfig } from '../config/app-config';
import { Dependency, DependencyStatus } from '../config/dependency-status';
import { failFast, redisOptions } from '../config/redis-connection';

/** How often Redis and PostgreSQL are asked whether they answer. */
export const WATCH_EVERY_MS = 1000;
/** A ping that takes longer than this counts as unanswered. */
const PING_DEADLINE_MS = 1500;
/** Unanswered pings in a row before a dependency that still accepts connections counts as down. */
const SLOW_PINGS_FOR_DOWN = 2;

class PingTimeout extends Error {
  constructor() {
    super(`no answer within ${PING_DEADLINE_MS} ms`);
  }
}

/**
 * Tells DependencyStatus whether Redis and PostgreSQL answer, in every process: a PING and a
 * `SELECT 1` every second on connections of its own (so a busy pool or a blocked queue client
 * is never mistaken for an outage), and at once when the Redis connection drops. A refused or
 * dropped connection marks the dependency down at once; a server that accepts connections but
 * does not answer, after two pings in a row.
 */
@Injectable()
export class DependencyWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private redis: IORedis | null = null;
  private database: Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopping = false;
  private lastRedisError: string | null = null;
  private readonly slow: Record<Dependency, number> = { redis: 0, database: 0 };

  constructor(
    private readonly config: AppConfig,
    private readonly dependencies: DependencyStatus,
  ) {}

  onApplicationBootstrap(): void {
    const redis = new IORedis({
      ...failFast(redisOptions(this.config)),
      maxRetriesPerRequest: 0,
      connectionName: `${this.config.queuePrefix}:watch`,
    });
    redis.on('error', (error: Error) => {
      this.lastRedisError = error.message || 'connection error';
    });
    redis.on('close', () => {
      if (!this.stopping) this.dependencies.down('redis', this.lastRedisError ?? 'connection lost');
    });
    redis.on('ready', () => {
      this.lastRedisError = null;
      this.slow.redis = 0;
      this.dependencies.up('redis');
    });
    this.redis = redis;
    this.timer = setInterval(() => void this.check(), WATCH_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.redis?.disconnect();
    this.redis = null;
    await this.dropDatabase();
  }

  /** One round of pings (never two at once). */
  async check(): Promise<void> {
    if (this.running || this.stopping) return;
    this.running = true;
    try {
      await Promise.all([
        this.observe('redis', () => this.redis!.ping()),
        this.observe('database', () => this.pingDatabase()),
      ]);
    } finally {
      this.running = false;
    }
  }

  private async observe(dependency: Dependency, ping: () => Promise<unknown>): Promise<void> {
    try {
      await within(ping(), PING_DEADLINE_MS);
      this.slow[dependency] = 0;
      this.dependencies.up(dependency);
    } catch (error) {
      if (this.stopping) return;
      if (dependency === 'database') await this.dropDatabase();
      if (error instanceof PingTimeout && ++this.slow[dependency] < SLOW_PINGS_FOR_DOWN) return;
      const message = (error as Error).message || 'no answer';
      const reason = dependency === 'redis' && this.lastRedisError ? this.lastRedisError : message;
      this.dependencies.down(dependency, reason);
    }
  }

  private async pingDatabase(): Promise<void> {
    try {
      if (!this.database) {
        const client = new Client({
          connectionString: this.config.databaseUrl,
          connectionTimeoutMillis: PING_DEADLINE_MS,
          application_name: 'hostwatch-watch',
        });
        client.on('error', () => undefined);
        this.database = client;
        await client.connect();
      }
      await this.database.query('SELECT 1');
    } catch (error) {
      await this.dropDatabase();
      throw error;
    }
  }

  private async dropDatabase(): Promise<void> {
    const client = this.database;
    this.database = null;
    await client?.end().catch(() => undefined);
  }
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new PingTimeout()), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
