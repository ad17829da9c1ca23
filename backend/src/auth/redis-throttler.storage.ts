import { Injectable, Logger, Module, OnModuleDestroy } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import IORedis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { DependencyStatus } from '../config/dependency-status';
import { redisOptions } from '../config/redis-connection';

interface ThrottlerStorageRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

/**
 * One window per key: the first hit starts it (ttl ms); past `limit` hits the key is blocked
 * for `blockDuration` ms. Answers hits, then the seconds left in the window and in the block.
 */
const INCREMENT = `
local blocked = redis.call('PTTL', KEYS[2])
if blocked > 0 then
  return {tonumber(ARGV[2]) + 1, math.max(redis.call('PTTL', KEYS[1]), 0), 1, blocked}
end
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local left = redis.call('PTTL', KEYS[1])
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return {hits, left, 1, tonumber(ARGV[3])}
end
return {hits, left, 0, 0}
`;

/**
 * Rate-limit counters in Redis, so that a limit per identity holds across every API process.
 * If Redis cannot answer, requests are let through (and the log says so): a Redis outage must
 * not lock everyone out of logging in.
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly logger = new Logger(RedisThrottlerStorage.name);
  private readonly redis: IORedis;
  private readonly prefix: string;
  private lastWarning = 0;

  constructor(
    config: AppConfig,
    private readonly dependencies: DependencyStatus,
  ) {
    this.prefix = `${config.queuePrefix}:ratelimit:`;
    this.redis = new IORedis({
      ...redisOptions(config),
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
    });
    this.redis.on('error', () => undefined);
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const base = `${this.prefix}${throttlerName}:${key}`;
    // Redis known to be away (DependencyStatus has said so, once): let the request through
    // without waiting for it.
    if (!this.dependencies.isUp('redis')) return unlimited(ttl);
    try {
      const [hits, leftMs, blocked, blockMs] = (await this.redis.eval(
        INCREMENT,
        2,
        base,
        `${base}:blocked`,
        String(ttl),
        String(limit),
        String(blockDuration),
      )) as number[];
      return {
        totalHits: hits,
        timeToExpire: Math.ceil(leftMs / 1000),
        isBlocked: blocked === 1,
        timeToBlockExpire: Math.ceil(blockMs / 1000),
      };
    } catch (error) {
      const now = Date.now();
      if (now - this.lastWarning > 60_000) {
        this.lastWarning = now;
        this.logger.warn(
          `Rate limits are not enforced: Redis did not answer (${(error as Error).message})`,
        );
      }
      return unlimited(ttl);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.redis.disconnect();
  }
}

function unlimited(ttl: number): ThrottlerStorageRecord {
  return {
    totalHits: 0,
    timeToExpire: Math.ceil(ttl / 1000),
    isBlocked: false,
    timeToBlockExpire: 0,
  };
}

@Module({ providers: [RedisThrottlerStorage], exports: [RedisThrottlerStorage] })
export class RateLimitStorageModule {}
