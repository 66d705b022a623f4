import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { Model, Types } from 'mongoose';
import { DomainEvents, RequestOrigin } from '../../common/events/domain-event';
import { Clock } from '../../common/time/clock';
import { Passkey } from './passkey.schema';
import { WebAuthn } from './webauthn';

export type StoredPasskey = Passkey & { _id: Types.ObjectId };

/**
 * What both uses of a passkey (a username-less sign-in, a second step) check of an assertion:
 * the signature and the rest (WebAuthn), then the signature counter, then the counter moved by
 * a conditional update (of two racing assertions, one wins).
 */
@Injectable()
export class PasskeyAssertions {
  constructor(
    @InjectModel(Passkey.name) private readonly model: Model<Passkey>,
    private readonly webauthn: WebAuthn,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  /** The passkey the response names (of this user, when given), with its key. */
  find(credentialId: string, userId?: string): Promise<StoredPasskey | null> {
    return this.model
      .findOne({ credentialId, ...(userId ? { userId: new Types.ObjectId(userId) } : {}) })
      .select('+publicKey')
      .lean();
  }

  /**
   * `cloned`: a genuine assertion whose counter did not move past the stored one (unless both
   * stay 0, as synced passkeys do): a cloned authenticator, audited as auth.passkey.cloned.
   */
  async verify(
    passkey: StoredPasskey,
    response: AuthenticationResponseJSON,
    challenge: string,
    origin: RequestOrigin,
  ): Promise<'ok' | 'rejected' | 'cloned'> {
    const assertion = await this.webauthn.verifyAssertion(response, challenge, passkey);
    if (!assertion) return 'rejected';
    const stored = passkey.counter;
    if ((stored > 0 || assertion.newCounter > 0) && assertion.newCounter <= stored) {
      this.events.emit('auth.passkey.cloned', {
        targetType: 'user',
        targetId: String(passkey.userId),
        ...origin,
        outcome: 'failure',
        details: { passkeyId: String(passkey._id), stored, presented: assertion.newCounter },
      });
      return 'cloned';
    }
    const moved = await this.model.updateOne(
      { _id: passkey._id, counter: stored },
      {
        $set: {
          counter: assertion.newCounter,
          backedUp: assertion.backedUp,
          deviceType: assertion.deviceType,
          lastUsedAt: this.clock.now(),
        },
      },
    );
    return moved.matchedCount === 1 ? 'ok' : 'rejected';
  }
}
