import { Inject, Injectable } from '@nestjs/common';
import { tooManyRequests } from '../common/errors/domain.exception';
import { DomainEvents, RequestOrigin } from '../common/events/domain-event';
import { WindowCounter } from '../common/rate/window-counter.service';
import { Clock } from '../common/time/clock';
import { loginConfig, LoginConfig } from '../config/configuration';

/** Account-wide limit across all IPs (NIST allows at most 100 consecutive failures). */
export const ACCOUNT_FAILURE_LIMIT = 50;
export const ACCOUNT_WINDOW_MS = 3_600_000;

/**
 * Lockout without lockout-as-denial-of-service: failures lock the (account, client IP) pair
 * first, so an attacker elsewhere does not lock the owner out; only the much higher account-wide
 * limit locks the account everywhere. Counters live in MongoDB, shared by every instance.
 */
@Injectable()
export class LockoutService {
  constructor(
    private readonly counters: WindowCounter,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
    @Inject(loginConfig.KEY) private readonly config: LoginConfig,
  ) {}

  /** Throws 429 (with Retry-After) while the pair or the account is locked. */
  async assertNotLocked(userId: string, ip: string | undefined): Promise<void> {
    const until = await this.counters.lockedUntil([pairKey(userId, ip), accountKey(userId)]);
    if (!until) return;
    const seconds = Math.max(1, Math.ceil((until.getTime() - this.clock.now().getTime()) / 1000));
    throw tooManyRequests('account_locked', 'Too many failed attempts; try again later.', seconds);
  }

  async recordFailure(userId: string, email: string, origin: RequestOrigin): Promise<void> {
    const now = this.clock.now().getTime();
    const [pair, account] = await Promise.all([
      this.counters.hit(pairKey(userId, origin.ip), this.config.lockoutDurationMs),
      this.counters.hit(accountKey(userId), ACCOUNT_WINDOW_MS),
    ]);
    if (pair.count >= this.config.lockoutThreshold) {
      if (await this.counters.lock(pairKey(userId, origin.ip), new Date(now + this.config.lockoutDurationMs))) {
        this.events.emit('auth.login.locked', { targetType: 'user', targetId: userId, ...origin, outcome: 'failure', details: { scope: 'ip' } });
      }
    }
    if (account.count >= ACCOUNT_FAILURE_LIMIT) {
      if (await this.counters.lock(accountKey(userId), new Date(now + ACCOUNT_WINDOW_MS))) {
        this.events.emit('auth.login.locked', {
          targetType: 'user',
          targetId: userId,
          ...origin,
          outcome: 'failure',
          details: { scope: 'account', email },
        });
      }
    }
  }

  async recordSuccess(userId: string, ip: string | undefined): Promise<void> {
    await this.counters.reset(pairKey(userId, ip));
  }
}

const pairKey = (userId: string, ip: string | undefined) => `lockout:pair:${userId}:${ip ?? 'unknown'}`;
const accountKey = (userId: string) => `lockout:account:${userId}`;
