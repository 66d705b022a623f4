import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, Types } from 'mongoose';

/** A WebAuthn credential (a passkey) registered by a user; the private key never leaves the device. */
@Schema({
  collection: 'passkeys',
  versionKey: false,
  timestamps: { createdAt: true, updatedAt: false },
})
export class Passkey {
  @Prop({ type: MongooseSchema.Types.ObjectId, required: true })
  userId!: Types.ObjectId;

  /** The credential id as the authenticator gave it (base64url); unique across all users. */
  @Prop({ required: true })
  credentialId!: string;

  /** The COSE public key, base64url. */
  @Prop({ required: true, select: false })
  publicKey!: string;

  /**
   * The authenticator's signature counter as last seen. A later assertion must carry a larger one
   * (unless both stay 0, as synced passkeys do): a smaller one means a cloned authenticator.
   */
  @Prop({ required: true, default: 0 })
  counter!: number;

  @Prop({ type: [String], default: [] })
  transports!: string[];

  /** `singleDevice` or `multiDevice` (backup eligible: the passkey may be synced). */
  @Prop({ required: true })
  deviceType!: string;

  /** Whether the passkey is backed up (synced) now, as the last ceremony said. */
  @Prop({ required: true })
  backedUp!: boolean;

  /** The owner's name for it ("Work laptop"). */
  @Prop({ required: true })
  name!: string;

  @Prop({ type: Date, default: null })
  lastUsedAt!: Date | null;

  createdAt!: Date;
}

export const PasskeySchema = SchemaFactory.createForClass(Passkey);
PasskeySchema.index({ credentialId: 1 }, { unique: true });
PasskeySchema.index({ userId: 1 });

/** `second_step`: a passkey after a password, bound to that sign-in attempt. */
export type ChallengePurpose = 'register' | 'sign_in' | 'second_step';

/**
 * A ceremony's challenge, kept server-side (shared by every instance): single use (the
 * conditional update that sets `usedAt` is the state change) and short-lived (`expiresAt` is
 * checked by the query; the TTL index only tidies up on real MongoDB).
 */
@Schema({ collection: 'passkey_challenges', versionKey: false })
export class PasskeyChallenge {
  /** The base64url challenge the client signs. */
  @Prop({ required: true })
  challenge!: string;

  @Prop({ required: true })
  purpose!: ChallengePurpose;

  /** The user a registration is for; none for a username-less sign-in. */
  @Prop({ type: MongooseSchema.Types.ObjectId, default: null })
  userId!: Types.ObjectId | null;

  /** The sign-in attempt a second step's challenge belongs to (the mfaToken's `aid`). */
  @Prop({ type: String, default: null })
  attemptId!: string | null;

  @Prop({ type: Date, default: null })
  usedAt!: Date | null;

  @Prop({ required: true })
  expiresAt!: Date;
}

export const PasskeyChallengeSchema = SchemaFactory.createForClass(PasskeyChallenge);
PasskeyChallengeSchema.index({ challenge: 1 }, { unique: true });
PasskeyChallengeSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
