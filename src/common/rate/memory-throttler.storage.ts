import { OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { Clock } from '../time/clock';

/** What a storage answers (the library does not export the type from its entry point). */
export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface Window {
  count: number;
  /** When this window ends (ms, by the clock). */
  resetsAt: number;
  /** Set once the limit is passed: refused until then. */
  blockedUntil: number;
}

/** How often expired windows are swept out (one timer for the whole map). */
export const SWEEP_INTERVAL_MS = 10_000;

/**
 * A fixed-window counter per key, in process memory: O(1) per request and memory bounded by the
 * number of keys seen in the last window. It replaces @nestjs/throttler's own in-memory storage,
 * which keeps one timestamp per request per key and filters that whole array on every request,
 * so its cost grows with traffic (a busy key behind a proxy reached ~100k entries, 12 % GC), and
 * whose map is never cleared (nestjs/throttler#2066, #2665). Same `ThrottlerStorage` interface.
 */
export class MemoryThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly windows = new Map<string, Window>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly clock: Clock) {
    this.sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    _throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const now = this.clock.now().getTime();
    let window = this.windows.get(key);
    if (!window || (window.resetsAt <= now && window.blockedUntil <= now)) {
      window = { count: 0, resetsAt: now + ttl, blockedUntil: 0 };
      this.windows.set(key, window);
    } else if (window.resetsAt <= now) {
      // Still blocked, but the counting window rolls over.
      window.count = 0;
      window.resetsAt = now + ttl;
    }
    if (window.blockedUntil <= now) {
      window.count += 1;
      if (window.count > limit) window.blockedUntil = now + (blockDuration || ttl);
    }
    const isBlocked = window.blockedUntil > now;
    return Promise.resolve({
      totalHits: window.count,
      timeToExpire: Math.ceil((window.resetsAt - now) / 1000),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.ceil((window.blockedUntil - now) / 1000) : 0,
    });
  }

  /** Keys with a live window or block. */
  get size(): number {
    return this.windows.size;
  }

  /** Drops every window that has ended and is not blocking; O(keys), once per interval. */
  sweep(): void {
    const now = this.clock.now().getTime();
    for (const [key, window] of this.windows)
      if (window.resetsAt <= now && window.blockedUntil <= now) this.windows.delete(key);
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }
}
