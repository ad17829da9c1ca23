import type { RedisOptions } from 'bullmq';
import type { AppConfig } from './app-config';

/** What says where Redis is: REDIS_URL, or REDIS_SENTINELS and REDIS_SENTINEL_NAME beside it. */
export type RedisTarget = Pick<AppConfig, 'redisUrl' | 'redisSentinels' | 'redisSentinelName'>;

/**
 * How soon a lost connection is tried again: quickly at first, then every 2 s, so checks resume
 * within seconds of Redis coming back (BullMQ's own default grows to 20 s between attempts).
 */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(250 * attempt, 2000);
}

/**
 * ioredis options for REDIS_URL (redis:// or rediss://, with optional user, password and db),
 * or, with REDIS_SENTINELS, for the primary the sentinels name: the client asks them where it
 * is on every (re)connection and follows a failover (`failoverDetector` also reconnects as
 * soon as a sentinel announces a switch, even while the old primary still answers).
 */
export function redisOptions(target: RedisTarget | string): RedisOptions {
  const where: RedisTarget =
    typeof target === 'string'
      ? { redisUrl: target, redisSentinels: [], redisSentinelName: null }
      : target;
  const url = new URL(where.redisUrl);
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  const common: RedisOptions = {
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: Number.isInteger(db) ? db : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    retryStrategy: reconnectDelayMs,
  };
  if (where.redisSentinels.length > 0 && where.redisSentinelName) {
    return {
      ...common,
      sentinels: where.redisSentinels.map((s) => ({ host: s.host, port: s.port })),
      name: where.redisSentinelName,
      failoverDetector: true,
      sentinelRetryStrategy: reconnectDelayMs,
    };
  }
  return {
    ...common,
    host: url.hostname || '127.0.0.1',
    port: url.port ? Number(url.port) : 6379,
  };
}

/**
 * For clients that serve a request (queueing a JIT check, counting jobs for the stats): while
 * Redis is away a command fails at once instead of waiting in ioredis' offline queue for the
 * connection to come back, so the caller can answer 503 rather than hang. Workers and event
 * streams keep the offline queue: they should simply carry on once Redis is back.
 */
export function failFast(options: RedisOptions): RedisOptions {
  return { ...options, enableOfflineQueue: false };
}

/** "Redis at 10.0.0.5:6379" or "Redis primary 'main' via sentinels a:26379, b:26379", for logs. */
export function describeRedis(target: RedisTarget): string {
  if (target.redisSentinels.length > 0 && target.redisSentinelName) {
    const list = target.redisSentinels.map((s) => `${s.host}:${s.port}`).join(', ');
    return `Redis primary '${target.redisSentinelName}' via sentinels ${list}`;
  }
  const url = new URL(target.redisUrl);
  return `Redis at ${url.hostname || '127.0.0.1'}:${url.port || 6379}`;
}
