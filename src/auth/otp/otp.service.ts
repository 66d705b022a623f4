import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { createHmac, randomInt } from 'node:crypto';
import { DomainException } from '../../common/errors/domain.exception';
import { isDuplicateKeyError } from '../../common/errors/mongo-errors';
import { WindowCounter } from '../../common/rate/window-counter.service';
import { Clock } from '../../common/time/clock';
import {
  loginConfig,
  LoginConfig,
  otpConfig,
  OtpConfig,
  passwordConfig,
  PasswordConfig,
} from '../../config/configuration';
import { CodePurpose, Otp } from './otp.schema';

/**
 * A refused code. `guess` is true when a submitted code was actually compared with a live one
 * and was wrong: only those count toward the sign-in lockout (a duplicate submit of a code this
 * same attempt already used, or a code that has expired, reveals nothing).
 */
export class OtpRefusal extends DomainException {
  constructor(
    status: HttpStatus,
    code: string,
    detail: string,
    readonly guess: boolean,
    retryAfterSeconds?: number,
  ) {
    super(status, code, detail, retryAfterSeconds === undefined ? {} : { retryAfterSeconds });
  }
}

export const invalidOtp = (guess = false) =>
  new OtpRefusal(HttpStatus.BAD_REQUEST, 'invalid_otp', 'The code is not valid.', guess);
const expiredOtp = () =>
  new OtpRefusal(
    HttpStatus.BAD_REQUEST,
    'otp_expired',
    'The code has expired; ask for a new one.',
    false,
  );
const burntOtp = (guess: boolean, retryAfterSeconds: number) =>
  new OtpRefusal(
    HttpStatus.TOO_MANY_REQUESTS,
    'too_many_attempts',
    'Too many wrong codes; ask for a new one later.',
    guess,
    retryAfterSeconds,
  );

export interface IssueOptions {
  /** Issue even inside the resend cooldown (a new registration or login attempt). */
  force?: boolean;
  attemptId?: string;
  /** This code's lifetime instead of OTP_TTL (an invitation lasts days). */
  ttlMs?: number;
}

/** 6-digit one-time codes for every purpose: issued, checked, burnt and purged here. */
@Injectable()
export class OtpService {
  constructor(
    @InjectModel(Otp.name) private readonly model: Model<Otp>,
    @Inject(otpConfig.KEY) private readonly config: OtpConfig,
    @Inject(loginConfig.KEY) private readonly login: LoginConfig,
    @Inject(passwordConfig.KEY) private readonly password: PasswordConfig,
    private readonly counters: WindowCounter,
    private readonly clock: Clock,
  ) {}

  /**
   * A fresh code replacing any earlier one; `null` when an unused, unexpired code was sent less
   * than OTP_RESEND_COOLDOWN ago (and `force` is not set). The attempt budget is never reset here.
   */
  async issue(
    userId: string,
    purpose: CodePurpose,
    options: IssueOptions = {},
  ): Promise<string | null> {
    const now = this.clock.now();
    const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
    const fields = {
      codeHash: this.hash(userId, purpose, code),
      issuedAt: now,
      expiresAt: new Date(now.getTime() + (options.ttlMs ?? this.config.ttlMs)),
      usedAt: null,
      ...(options.attemptId ? { attemptId: options.attemptId } : {}),
    };
    const key = { userId: new Types.ObjectId(userId), purpose };
    const cooldown = options.force
      ? {}
      : {
          $or: [
            { issuedAt: { $lte: new Date(now.getTime() - this.config.resendCooldownMs) } },
            { usedAt: { $ne: null } },
            { codeHash: null },
            { expiresAt: { $lte: now } },
          ],
        };
    const updated = await this.model
      .findOneAndUpdate({ ...key, ...cooldown }, { $set: fields }, { projection: { _id: 1 } })
      .lean();
    if (updated) return code;
    try {
      await this.model.create({ ...key, ...fields });
      return code;
    } catch (error) {
      if (isDuplicateKeyError(error)) return null; // inside the cooldown
      throw error;
    }
  }

  /** True when a code of this purpose is outstanding (issued, unused, unexpired). */
  async isPending(userId: string, purpose: CodePurpose): Promise<boolean> {
    const now = this.clock.now();
    return (
      (await this.model.countDocuments({
        userId,
        purpose,
        usedAt: null,
        codeHash: { $ne: null },
        expiresAt: { $gt: now },
      })) > 0
    );
  }

  /**
   * Consumes the code or throws an OtpRefusal: 400 invalid_otp, 400 otp_expired, 429
   * too_many_attempts (the code is burnt). Only the purpose, account (and login attempt) it was
   * issued for. The attempt is counted (one atomic slot of OTP_MAX_ATTEMPTS per user, purpose
   * and window) before the code is compared, so parallel guesses cannot exceed the budget.
   */
  async consume(
    userId: string,
    purpose: CodePurpose,
    code: string,
    attemptId?: string,
  ): Promise<void> {
    const now = this.clock.now();
    const hash = /^\d{6}$/.test(code) ? this.hash(userId, purpose, code) : '';
    const otp = await this.model.findOne({ userId, purpose }).lean();
    if (!otp || (attemptId !== undefined && otp.attemptId !== attemptId)) throw invalidOtp();
    if (otp.usedAt) throw invalidOtp(); // includes a duplicate submit of the code that was just used
    const budgetKey = this.budgetKey(userId, purpose);
    if (!otp.codeHash) throw burntOtp(false, await this.secondsUntilBudget(budgetKey));
    if (otp.expiresAt <= now) throw expiredOtp();

    const slot = await this.counters.take(
      budgetKey,
      this.login.lockoutDurationMs,
      this.config.maxAttempts,
    );
    if (!slot.taken) throw burntOtp(false, this.clock.secondsUntil(slot.resetsAt));
    if (hash === otp.codeHash) {
      // The conditional update is the state change: of two racing uses, one wins.
      const used = await this.model
        .findOneAndUpdate(
          { _id: otp._id, codeHash: hash, usedAt: null },
          { $set: { usedAt: now } },
          { projection: { _id: 1 } },
        )
        .lean();
      if (used) {
        await this.counters.reset(budgetKey);
        return;
      }
      await this.counters.release(budgetKey); // lost to an identical submit: not a guess
      throw invalidOtp();
    }
    if (slot.count >= this.config.maxAttempts) {
      await this.model.updateOne(
        { _id: otp._id, codeHash: otp.codeHash },
        { $set: { codeHash: null } },
      );
      throw burntOtp(true, this.clock.secondsUntil(slot.resetsAt));
    }
    throw invalidOtp(true);
  }

  /** The attempt budget belongs to the user and purpose over a window, not to one code: a resend does not refill it. */
  private budgetKey(userId: string, purpose: CodePurpose): string {
    return `otp:${userId}:${purpose}`;
  }

  private async secondsUntilBudget(key: string): Promise<number> {
    const slot = await this.counters.peek(key);
    return this.clock.secondsUntil(slot?.resetsAt ?? this.clock.now());
  }

  private hash(userId: string, purpose: CodePurpose, code: string): string {
    return createHmac('sha256', this.password.pepper)
      .update(`otp:${userId}:${purpose}:${code}`)
      .digest('base64url');
  }

  /** Deletes every code of the user and their attempt budgets (account deletion). Idempotent. */
  async deleteAllOf(userId: string): Promise<void> {
    await this.model.deleteMany({ userId });
    await this.counters.resetPrefix(`otp:${userId}:`);
  }

  /** Deletes codes that expired. Idempotent; the attempt budgets are window counters, purged with them. */
  async purgeExpired(): Promise<number> {
    const { deletedCount } = await this.model.deleteMany({ expiresAt: { $lte: this.clock.now() } });
    return deletedCount;
  }
}
