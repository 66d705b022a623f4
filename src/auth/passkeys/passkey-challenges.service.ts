import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { Clock } from '../../common/time/clock';
import { ChallengePurpose, PasskeyChallenge } from './passkey.schema';

/** Five minutes: the time a person needs to touch a key or a fingerprint reader. */
export const CHALLENGE_TTL_MS = 5 * 60_000;

/** Ceremony challenges: issued here, and used up exactly once by the one who asked for them. */
@Injectable()
export class PasskeyChallenges {
  constructor(
    @InjectModel(PasskeyChallenge.name) private readonly model: Model<PasskeyChallenge>,
    private readonly clock: Clock,
  ) {}

  async issue(purpose: ChallengePurpose, userId?: string, attemptId?: string): Promise<string> {
    const challenge = randomBytes(32).toString('base64url');
    await this.model.create({
      challenge,
      purpose,
      userId: userId ? new Types.ObjectId(userId) : null,
      attemptId: attemptId ?? null,
      expiresAt: new Date(this.clock.now().getTime() + CHALLENGE_TTL_MS),
    });
    return challenge;
  }

  /**
   * Uses the challenge up: true only for an unused, unexpired challenge of this purpose (and of
   * this user, for a registration or a second step; of this attempt, for a second step). Of two
   * racing uses one wins; a failed ceremony used it too.
   */
  async consume(
    challenge: string,
    purpose: ChallengePurpose,
    userId?: string,
    attemptId?: string,
  ): Promise<boolean> {
    const now = this.clock.now();
    const used = await this.model
      .findOneAndUpdate(
        {
          challenge,
          purpose,
          usedAt: null,
          expiresAt: { $gt: now },
          userId: userId ? new Types.ObjectId(userId) : null,
          attemptId: attemptId ?? null,
        },
        { $set: { usedAt: now } },
        { projection: { _id: 1 } },
      )
      .lean();
    return used !== null;
  }

  async purgeExpired(): Promise<number> {
    const { deletedCount } = await this.model.deleteMany({ expiresAt: { $lte: this.clock.now() } });
    return deletedCount;
  }

  async deleteAllOf(userId: string): Promise<void> {
    await this.model.deleteMany({ userId: new Types.ObjectId(userId) });
  }
}
