import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Cron, CronExpression } from '@nestjs/schedule';
import { Model, Types } from 'mongoose';
import { createHmac, randomInt } from 'node:crypto';
import { DomainException } from '../../common/errors/domain.exception';
import { isDuplicateKeyError } from '../../common/errors/mongo-errors';
import { Clock } from '../../common/time/clock';
import { loginConfig, LoginConfig, otpConfig, OtpConfig, passwordConfig, PasswordConfig } from '../../config/configuration';
import { Otp, OtpPurpose } from './otp.schema';

export const invalidOtp = () => new DomainException(HttpStatus.BAD_REQUEST, 'invalid_otp', 'The code is not valid.');
const expiredOtp = () => new DomainException(HttpStatus.BAD_REQUEST, 'otp_expired', 'The code has expired; ask for a new one.');
const burntOtp = () =>
  new DomainException(HttpStatus.TOO_MANY_REQUESTS, 'too_many_attempts', 'Too many wrong codes; ask for a new one later.');

export interface IssueOptions {
  /** Issue even inside the resend cooldown (a new registration or login attempt). */
  force?: boolean;
  attemptId?: string;
}

/** 6-digit one-time codes for every purpose: issued, checked, burnt and purged here. */
@Injectable()
export class OtpService {
  constructor(
    @InjectModel(Otp.name) private readonly model: Model<Otp>,
    @Inject(otpConfig.KEY) private readonly config: OtpConfig,
    @Inject(loginConfig.KEY) private readonly login: LoginConfig,
    @Inject(passwordConfig.KEY) private readonly password: PasswordConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * A fresh code replacing any earlier one; `null` when an unused, unexpired code was sent less
   * than OTP_RESEND_COOLDOWN ago (and `force` is not set). Failures are never reset here.
   */
  async issue(userId: string, purpose: OtpPurpose, options: IssueOptions = {}): Promise<string | null> {
    const now = this.clock.now();
    const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
    const fields = {
      codeHash: this.hash(userId, purpose, code),
      issuedAt: now,
      expiresAt: new Date(now.getTime() + this.config.ttlMs),
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
    const updated = await this.model.findOneAndUpdate({ ...key, ...cooldown }, { $set: fields }, { projection: { _id: 1 } }).lean();
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
  async isPending(userId: string, purpose: OtpPurpose): Promise<boolean> {
    const now = this.clock.now();
    return (await this.model.countDocuments({ userId, purpose, usedAt: null, codeHash: { $ne: null }, expiresAt: { $gt: now } })) > 0;
  }

  /**
   * Consumes the code or throws: 400 invalid_otp, 400 otp_expired, 429 too_many_attempts (the
   * code is burnt). Only the purpose, account (and login attempt) it was issued for.
   */
  async consume(userId: string, purpose: OtpPurpose, code: string, attemptId?: string): Promise<void> {
    const now = this.clock.now();
    const otp = await this.model.findOne({ userId, purpose }).lean();
    if (!otp || otp.usedAt || (attemptId !== undefined && otp.attemptId !== attemptId)) throw invalidOtp();
    const windowOpen = otp.failureWindowEndsAt !== undefined && otp.failureWindowEndsAt > now;
    if (windowOpen && otp.failures >= this.config.maxAttempts) throw burntOtp();
    if (!otp.codeHash) throw invalidOtp();
    if (otp.expiresAt <= now) throw expiredOtp();

    const hash = /^\d{6}$/.test(code) ? this.hash(userId, purpose, code) : '';
    if (hash === otp.codeHash) {
      // The conditional update is the state change: of two racing uses, one wins.
      const used = await this.model.findOneAndUpdate({ _id: otp._id, codeHash: hash, usedAt: null }, { $set: { usedAt: now } }, { projection: { _id: 1 } }).lean();
      if (used) return;
      throw invalidOtp();
    }
    const failures = await this.recordFailure(otp._id, windowOpen, now);
    if (failures >= this.config.maxAttempts) {
      await this.model.updateOne({ _id: otp._id }, { $set: { codeHash: null } });
      throw burntOtp();
    }
    throw invalidOtp();
  }

  private async recordFailure(id: Types.ObjectId, windowOpen: boolean, now: Date): Promise<number> {
    const update = windowOpen
      ? { $inc: { failures: 1 } }
      : { $set: { failures: 1, failureWindowEndsAt: new Date(now.getTime() + this.login.lockoutDurationMs) } };
    const after = await this.model.findOneAndUpdate({ _id: id }, update, { new: true, projection: { failures: 1 } }).lean();
    return after?.failures ?? 1;
  }

  private hash(userId: string, purpose: OtpPurpose, code: string): string {
    return createHmac('sha256', this.password.pepper).update(`otp:${userId}:${purpose}:${code}`).digest('base64url');
  }

  /** Deletes codes that expired (and whose failure window closed). Idempotent. */
  @Cron(CronExpression.EVERY_10_MINUTES)
  async purgeExpired(): Promise<number> {
    const now = this.clock.now();
    const { deletedCount } = await this.model.deleteMany({
      expiresAt: { $lte: now },
      $or: [{ failureWindowEndsAt: null }, { failureWindowEndsAt: { $lte: now } }],
    });
    return deletedCount;
  }
}
