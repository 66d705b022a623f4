import { Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { Clock } from '../time/clock';
import { MemoryThrottlerStorage, ThrottlerStorageRecord } from './memory-throttler.storage';
import { WindowCounter } from './window-counter.service';

export const AUTH_THROTTLER = 'auth';

/**
 * The `auth` limit counts in MongoDB (shared by every instance, like the lockout); the general
 * limit, on every other request, counts in process memory (an O(1) fixed window per key) so that
 * the hot path costs no query.
 */
@Injectable()
export class HybridThrottlerStorage implements ThrottlerStorage {
  private readonly memory: MemoryThrottlerStorage;

  constructor(
    private readonly counters: WindowCounter,
    private readonly clock: Clock,
  ) {
    this.memory = new MemoryThrottlerStorage(clock);
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    if (throttlerName !== AUTH_THROTTLER)
      return this.memory.increment(key, ttl, limit, blockDuration, throttlerName);
    const hit = await this.counters.hit(`throttle:${key}`, ttl);
    const timeToExpire = this.clock.secondsUntil(hit.resetsAt);
    const isBlocked = hit.count > limit;
    return {
      totalHits: hit.count,
      timeToExpire,
      isBlocked,
      timeToBlockExpire: isBlocked ? timeToExpire : 0,
    };
  }

  onApplicationShutdown(): void {
    this.memory.onApplicationShutdown();
  }
}
