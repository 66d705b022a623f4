import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, Types } from 'mongoose';

/**
 * One user's authenticator-app credential: set up (a secret, not yet active), then enabled
 * (a verified code turned it on and recovery codes were issued). Removed when turned off.
 */
@Schema({ collection: 'totp_credentials', versionKey: false, timestamps: true })
export class TotpCredential {
  @Prop({ type: MongooseSchema.Types.ObjectId, required: true })
  userId!: Types.ObjectId;

  /** The base32 secret, AES-256-GCM encrypted (see TotpCipher); never the plain secret. */
  @Prop({ required: true, select: false })
  secret!: string;

  /** Null while set up but not yet confirmed with a code. */
  @Prop({ type: Date, default: null })
  enabledAt!: Date | null;

  /** The RFC 6238 time step of the last accepted code: that step and earlier ones are refused. */
  @Prop({ type: Number, default: null })
  lastUsedStep!: number | null;

  /** HMACs of the unused recovery codes; a used one is pulled out. */
  @Prop({ type: [String], default: [], select: false })
  recoveryCodeHashes!: string[];

  /** Binds the second sign-in step to its password step (the mfaToken carries the same id). */
  @Prop({ type: String, default: null })
  loginAttemptId!: string | null;
}

export const TotpCredentialSchema = SchemaFactory.createForClass(TotpCredential);
TotpCredentialSchema.index({ userId: 1 }, { unique: true });
