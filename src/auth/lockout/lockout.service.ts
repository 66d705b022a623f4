import { Inject, Injectable } from '@nestjs/common';
import { tooManyRequests } from '../../common/errors/domain.exception';
import { DomainEvents, RequestOrigin } from '../../common/events/domain-event';
import { WindowCounter } from '../../common/rate/window-counter.service';
import { Clock } from '../../common/time/clock';
import { loginConfig, LoginConfig } from '../../config/configuration';
import { authErrors } from '../auth.errors';

/** Account-wide limit across all IPs (NIST allows at most 100 consecutive failures). */
export const ACCOUNT_WINDOW_MS = 3_600_000;

/**
 * How long a sign-in attempt's code check holds its claim if the process dies before giving it
 * back. Long is harmless: a new password step starts a new attempt with a claim of its own.
 */
const CHECK_CLAIM_MS = 30_000;

/** Whose password or code is being tried. */
export interface AttemptSubject {
  /** What the client typed to name the account (email or username), normalised; or the account's email. */
  identifier: string;
  /** The account, when it exists (unknown accounts are counted by identifier, so they lock alike). */
  userId?: string;
  email?: string;
  /** The owner's language, for the lock mail. */
  locale?: string;
}

/** A taken attempt: end it with `succeeded`, `failed` or `void`. */
export interface Attempt {
  subject: AttemptSubject;
  origin: RequestOrigin;
  pairKey: string;
  accountKey: string;
  pairCount: number;
  accountCount: number;
}

/**
 * Lockout without lockout-as-denial-of-service: failures lock the (account, client IP) pair
 * first, so an attacker elsewhere does not lock the owner out; only the much higher account-wide
 * limit locks the account everywhere. Counters live in MongoDB, shared by every instance.
 *
 * Each attempt takes a slot *before* the password or code is checked, in one atomic update, and
 * gives it back only when it succeeds: so however many attempts run in parallel, at most
 * LOCKOUT_THRESHOLD of them per pair are ever evaluated (checking a lock first and recording the
 * failure after the slow hash let 30 parallel guesses through).
 */
@Injectable()
export class LockoutService {
  constructor(
    private readonly counters: WindowCounter,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
    @Inject(loginConfig.KEY) private readonly config: LoginConfig,
  ) {}

  /** Takes an attempt slot for the pair and for the account, or throws 429 (with Retry-After). */
  async begin(subject: AttemptSubject, origin: RequestOrigin): Promise<Attempt> {
    const pairKey = `lockout:pair:${subject.userId ?? subject.identifier}:${origin.ip ?? 'unknown'}`;
    const accountKey = `lockout:account:${subject.userId ?? subject.identifier}`;
    const pair = await this.counters.take(
      pairKey,
      this.config.lockoutDurationMs,
      this.config.lockoutThreshold,
    );
    if (!pair.taken) throw this.locked(pair.resetsAt);
    const account = await this.counters.take(
      accountKey,
      ACCOUNT_WINDOW_MS,
      this.config.accountLockoutThreshold,
    );
    if (!account.taken) {
      await this.counters.release(pairKey);
      throw this.locked(account.resetsAt);
    }
    return {
      subject,
      origin,
      pairKey,
      accountKey,
      pairCount: pair.count,
      accountCount: account.count,
    };
  }

  /**
   * The right password or code: the pair's failures are forgiven, the account's slot given back.
   * When this attempt was its window's first, giving its slot back forgives just as well (the
   * count is 0 again) and keeps the window's document: the next sign-in then takes its slot in one
   * update, where a deleted key costs four round trips (two missed updates, a read, an insert).
   */
  async succeeded(attempt: Attempt): Promise<void> {
    await Promise.all([
      attempt.pairCount === 1
        ? this.counters.release(attempt.pairKey)
        : this.counters.reset(attempt.pairKey),
      this.counters.release(attempt.accountKey),
    ]);
  }

  /** An attempt that was not a guess (e.g. a duplicate submit of a code already used): nothing counts. */
  async void(attempt: Attempt): Promise<void> {
    await Promise.all([
      this.counters.release(attempt.pairKey),
      this.counters.release(attempt.accountKey),
    ]);
  }

  /** A wrong password or code: the slot stays taken; the last slot of a window sets the lock. */
  async failed(attempt: Attempt): Promise<void> {
    const now = this.clock.now().getTime();
    if (attempt.pairCount >= this.config.lockoutThreshold) {
      await this.lock(
        attempt,
        attempt.pairKey,
        new Date(now + this.config.lockoutDurationMs),
        'ip',
      );
    }
    if (attempt.accountCount >= this.config.accountLockoutThreshold) {
      await this.lock(attempt, attempt.accountKey, new Date(now + ACCOUNT_WINDOW_MS), 'account');
    }
  }

  /** Runs `check` inside an attempt: its boolean answer decides success or failure. */
  async guard(
    subject: AttemptSubject,
    origin: RequestOrigin,
    check: () => Promise<boolean>,
  ): Promise<boolean> {
    const attempt = await this.begin(subject, origin);
    let ok: boolean;
    try {
      ok = await check();
    } catch (error) {
      await this.void(attempt);
      throw error;
    }
    await (ok ? this.succeeded(attempt) : this.failed(attempt));
    return ok;
  }

  /**
   * Runs the code check of one sign-in attempt (the mfaToken's attempt id) alone, before it takes
   * any lockout slot: a double submit that arrives while the first is being checked is refused
   * with 409 verification_in_progress, and one that arrives after finds the code spent. Either
   * way a duplicate of the right code never fills the lockout window (8 parallel submits used to
   * take 8 slots of 5, and the last ones answered account_locked).
   */
  async oneCheckAtATime<T>(attemptId: string, check: () => Promise<T>): Promise<T> {
    const key = `second-step:${attemptId}`;
    const claim = await this.counters.take(key, CHECK_CLAIM_MS, 1);
    if (!claim.taken) throw authErrors.verificationInProgress();
    try {
      return await check();
    } finally {
      await this.counters.reset(key);
    }
  }

  /** Drops the user's failure counters and locks (account deletion). Idempotent. */
  async forgetUser(userId: string): Promise<void> {
    await this.counters.resetPrefix(`lockout:pair:${userId}:`);
    await this.counters.reset(`lockout:account:${userId}`);
  }

  private async lock(
    attempt: Attempt,
    key: string,
    until: Date,
    scope: 'ip' | 'account',
  ): Promise<void> {
    if (!(await this.counters.lock(key, until))) return;
    const { subject, origin } = attempt;
    this.events.emit('auth.login.locked', {
      ...(subject.userId ? { targetType: 'user', targetId: subject.userId } : {}),
      ...origin,
      outcome: 'failure',
      details: { scope },
      // The account-wide lock is mailed to the owner.
      ...(scope === 'account' && subject.email
        ? { notify: { email: subject.email, locale: subject.locale } }
        : {}),
    });
  }

  private locked(until: Date) {
    return tooManyRequests(
      'account_locked',
      'Too many failed attempts; try again later.',
      this.clock.secondsUntil(until),
    );
  }
}
