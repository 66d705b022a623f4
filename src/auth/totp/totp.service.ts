import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import type { verifySync } from 'otplib';
import { isDuplicateKeyError } from '../../common/errors/mongo-errors';
import { onFirstUse } from '../../common/lazy/on-first-use';
import { Clock } from '../../common/time/clock';
import { passwordConfig, PasswordConfig, totpConfig, TotpConfig } from '../../config/configuration';
import { generateRecoveryCodes, hashRecoveryCode, RECOVERY_CODE_PATTERN } from './recovery-codes';
import { TotpCipher } from './totp-cipher';
import { totpErrors } from './totp.errors';
import { TotpCredential } from './totp.schema';

/** otplib (~15 modules) loads with the first TOTP setup or code, not at start; shared afterwards. */
const totpLibrary = onFirstUse(() => import('otplib'));

/** RFC 6238 defaults, which every authenticator app assumes: SHA-1, 6 digits, 30 s steps. */
export const TOTP_PERIOD_SECONDS = 30;

/**
 * The answer to a submitted code. `guess` is true when the code was compared and was wrong: only
 * those count toward the sign-in lockout (a code already used, or one that lost a race to an
 * identical submit, reveals nothing).
 */
export type CodeCheck =
  | { ok: true; method: 'totp' }
  | { ok: true; method: 'recovery_code'; remaining: number }
  | { ok: false; guess: boolean };

export interface UseOptions {
  /** Accept an unused recovery code as well as a TOTP code. */
  recovery: boolean;
  /** The sign-in attempt the code is for; it must be the account's latest one. */
  attemptId?: string;
}

/**
 * Authenticator-app credentials: secrets (encrypted), the replay guard and recovery codes. Every
 * use of a code is one conditional update (the step must be later than the last one used, the
 * recovery code still present), so of two identical submits exactly one succeeds.
 */
@Injectable()
export class TotpService {
  constructor(
    @InjectModel(TotpCredential.name) private readonly model: Model<TotpCredential>,
    private readonly cipher: TotpCipher,
    private readonly clock: Clock,
    @Inject(totpConfig.KEY) private readonly config: TotpConfig,
    @Inject(passwordConfig.KEY) private readonly password: PasswordConfig,
  ) {}

  async isEnabled(userId: string): Promise<boolean> {
    return (await this.model.exists({ userId, enabledAt: { $ne: null } })) !== null;
  }

  /** A fresh secret, stored encrypted and not active until `enable`; it replaces one not yet enabled. */
  async setUp(userId: string, label: string): Promise<{ secret: string; otpauthUrl: string }> {
    const { generateSecret, generateURI } = await totpLibrary();
    const secret = generateSecret();
    const fields = {
      secret: this.cipher.encrypt(secret, userId),
      lastUsedStep: null,
      recoveryCodeHashes: [],
      loginAttemptId: null,
    };
    try {
      // With an enabled credential the filter matches nothing, and the upsert hits the unique index.
      await this.model.updateOne(
        { userId: new Types.ObjectId(userId), enabledAt: null },
        { $set: fields },
        { upsert: true },
      );
    } catch (error) {
      if (isDuplicateKeyError(error)) throw totpErrors.alreadyEnabled();
      throw error;
    }
    return { secret, otpauthUrl: generateURI({ issuer: this.config.issuer, label, secret }) };
  }

  /** Turns the credential on with a current code; answers the recovery codes, shown this once. */
  async enable(userId: string, code: string): Promise<string[]> {
    const credential = await this.model.findOne({ userId }).select('+secret').lean();
    if (!credential) throw totpErrors.notSetUp();
    if (credential.enabledAt) throw totpErrors.alreadyEnabled();
    const step = await this.matchStep(credential.secret, userId, code, credential.lastUsedStep);
    if (typeof step !== 'number') throw totpErrors.wrongCode();
    const codes = generateRecoveryCodes();
    const enabled = await this.model
      .findOneAndUpdate(
        // The same secret that was checked: a setup in between replaced it.
        { _id: credential._id, enabledAt: null, secret: credential.secret, ...after(step) },
        {
          $set: {
            enabledAt: this.clock.now(),
            lastUsedStep: step,
            recoveryCodeHashes: codes.map((c) => this.hashRecovery(userId, c)),
          },
        },
        { projection: { _id: 1 } },
      )
      .lean();
    if (!enabled) throw totpErrors.wrongCode(); // an identical submit won
    return codes;
  }

  /** Binds the next second step to this sign-in attempt; false when TOTP is not on. */
  async beginLogin(userId: string, attemptId: string): Promise<boolean> {
    const bound = await this.model
      .findOneAndUpdate(
        { userId, enabledAt: { $ne: null } },
        { $set: { loginAttemptId: attemptId } },
        { projection: { _id: 1 } },
      )
      .lean();
    return bound !== null;
  }

  /** Checks a code against the enabled credential and uses it up (see CodeCheck). */
  async use(userId: string, code: string, options: UseOptions): Promise<CodeCheck> {
    const credential = await this.model
      .findOne({ userId, enabledAt: { $ne: null } })
      .select('+secret +recoveryCodeHashes')
      .lean();
    const spent = { ok: false, guess: false } as const;
    const wrong = { ok: false, guess: true } as const;
    if (!credential) return spent;
    const { attemptId } = options;
    if (attemptId !== undefined && credential.loginAttemptId !== attemptId) return spent;
    // Inside a sign-in the attempt is used up with the code, so the mfaToken works once.
    const bound = attemptId === undefined ? {} : { loginAttemptId: attemptId };
    const unbind = attemptId === undefined ? {} : { loginAttemptId: null };

    if (/^\d{6}$/.test(code)) {
      const step = await this.matchStep(credential.secret, userId, code, credential.lastUsedStep);
      if (step === 'wrong') return wrong;
      if (step === 'spent') return spent;
      const used = await this.model
        .findOneAndUpdate(
          { _id: credential._id, enabledAt: { $ne: null }, ...bound, ...after(step) },
          { $set: { lastUsedStep: step, ...unbind } },
          { projection: { _id: 1 } },
        )
        .lean();
      return used ? { ok: true, method: 'totp' } : spent;
    }
    if (!options.recovery || !RECOVERY_CODE_PATTERN.test(code)) return wrong;
    const hash = this.hashRecovery(userId, code);
    if (!credential.recoveryCodeHashes.includes(hash)) return wrong;
    const used = await this.model
      .findOneAndUpdate(
        { _id: credential._id, enabledAt: { $ne: null }, ...bound, recoveryCodeHashes: hash },
        { $pull: { recoveryCodeHashes: hash }, ...(attemptId ? { $set: unbind } : {}) },
        { new: true, projection: { recoveryCodeHashes: 1 } },
      )
      .lean();
    return used
      ? { ok: true, method: 'recovery_code', remaining: used.recoveryCodeHashes.length }
      : spent;
  }

  /** A new set of recovery codes for an enabled credential; the old set stops working. */
  async replaceRecoveryCodes(userId: string): Promise<string[]> {
    const codes = generateRecoveryCodes();
    const replaced = await this.model
      .findOneAndUpdate(
        { userId, enabledAt: { $ne: null } },
        { $set: { recoveryCodeHashes: codes.map((c) => this.hashRecovery(userId, c)) } },
        { projection: { _id: 1 } },
      )
      .lean();
    if (!replaced) throw totpErrors.notEnabled();
    return codes;
  }

  /** Deletes the credential (enabled or only set up); true when it was enabled. */
  async remove(userId: string): Promise<boolean> {
    const removed = await this.model
      .findOneAndDelete({ userId: new Types.ObjectId(userId) }, { projection: { enabledAt: 1 } })
      .lean();
    return Boolean(removed?.enabledAt);
  }

  /**
   * The time step the code belongs to, within one step either side of now (clock drift, a code
   * typed as it rolled over); 'spent' when it is right but its step was already used.
   */
  private async matchStep(
    stored: string,
    userId: string,
    code: string,
    lastUsedStep: number | null,
  ): Promise<number | 'wrong' | 'spent'> {
    const { verifySync } = await totpLibrary();
    const options = {
      secret: this.cipher.decrypt(stored, userId),
      token: code,
      epoch: Math.floor(this.clock.now().getTime() / 1000),
      period: TOTP_PERIOD_SECONDS,
      epochTolerance: TOTP_PERIOD_SECONDS,
    };
    const match = stepOf(verifySync(options));
    if (match === undefined) return 'wrong';
    if (lastUsedStep === null || match > lastUsedStep) return match;
    // The same six digits may also be right for a later step in the window.
    return stepOf(verifySync({ ...options, afterTimeStep: lastUsedStep })) ?? 'spent';
  }

  private hashRecovery(userId: string, code: string): string {
    return hashRecoveryCode(this.password.pepper, userId, code);
  }
}

/** otplib types TOTP and HOTP results as one union; only a TOTP match carries its step. */
function stepOf(result: ReturnType<typeof verifySync>): number | undefined {
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}

/** Only a step later than the last one used: the replay guard, inside the update that uses it. */
function after(step: number) {
  return { $or: [{ lastUsedStep: null }, { lastUsedStep: { $lt: step } }] };
}
