import { Logger } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type Redis from 'ioredis';
import type { ThrottlerStorageRecord } from '../common/rate/memory-throttler.storage';
import type { HybridThrottlerStorage } from '../common/rate/throttler.storage';

/** How long after a Redis failure the fallback is used before Redis is tried again. */
const RETRY_AFTER_MS = 1_000;

/**
 * Every rate-limit counter in Redis, shared by all instances (`@nest-lab/throttler-storage-redis`:
 * one Lua script per hit, atomic in Redis). While Redis does not answer, the counters fall back
 * to `fallback` (this instance's memory for the general limit, MongoDB for the auth limit):
 * limits stay enforced, per instance, rather than requests failing or going unlimited.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger(RedisThrottlerStorage.name);
  /**
   * Loaded on first use: the library (and through it the Redis client's ~300 modules) stays out
   * of an instance that runs without Redis, which never constructs this class.
   */
  private readonly redis: Promise<ThrottlerStorageRedisService>;
  private failingUntil = 0;

  constructor(
    client: Redis,
    private readonly fallback: HybridThrottlerStorage,
  ) {
    this.redis = import('@nest-lab/throttler-storage-redis').then(
      (library) => new library.ThrottlerStorageRedisService(client),
    );
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    if (Date.now() >= this.failingUntil) {
      // After a failure, one request at a time finds out whether Redis is back: the others keep
      // to the fallback meanwhile rather than each waiting out a hung Redis's command timeout.
      if (this.failingUntil > 0) this.failingUntil = Date.now() + RETRY_AFTER_MS;
      try {
        const redis = await this.redis;
        const record = await redis.increment(key, ttl, limit, blockDuration, throttlerName);
        if (this.failingUntil > 0) this.logger.log('rate limits are shared through Redis again');
        this.failingUntil = 0;
        return record;
      } catch (err) {
        if (this.failingUntil === 0)
          this.logger.warn({ err }, 'rate limits fall back per instance');
        this.failingUntil = Date.now() + RETRY_AFTER_MS;
      }
    }
    return this.fallback.increment(key, ttl, limit, blockDuration, throttlerName);
  }

  onApplicationShutdown(): void {
    this.fallback.onApplicationShutdown();
  }
}
