import { Injectable } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { Clock } from '../time/clock';
import { WindowCounter } from './window-counter.service';

export const AUTH_THROTTLER = 'auth';

/** What a storage answers (the library does not export the type from its entry point). */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * The `auth` limit counts in MongoDB (shared by every instance, like the lockout); the general
 * limit, on every other request, counts in process memory so that the hot path costs no query.
 */
@Injectable()
export class HybridThrottlerStorage implements ThrottlerStorage {
  private readonly memory = new ThrottlerStorageService();

  constructor(
    private readonly counters: WindowCounter,
    private readonly clock: Clock,
  ) {}

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
