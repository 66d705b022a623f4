import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, Types } from 'mongoose';

/** The purposes a client may ask a code for again (POST /auth/resend-otp). */
export const OTP_PURPOSES = ['verify_email', 'login', 'reset_password'] as const;
export type OtpPurpose = (typeof OTP_PURPOSES)[number];
/** Every purpose a code is kept for: the above, and invitations (only an admin resends those). */
export const CODE_PURPOSES = [...OTP_PURPOSES, 'invitation'] as const;
export type CodePurpose = (typeof CODE_PURPOSES)[number];

/**
 * The one-time code of one purpose for one user. A new code replaces the old in place; the
 * attempt budget belongs to the user and purpose (a window counter, see OtpService), not to a code.
 */
@Schema({ collection: 'otps', versionKey: false })
export class Otp {
  @Prop({ type: MongooseSchema.Types.ObjectId, required: true })
  userId!: Types.ObjectId;

  @Prop({ required: true, enum: CODE_PURPOSES })
  purpose!: CodePurpose;

  /** HMAC of user, purpose and code; null once burnt. */
  @Prop({ type: String, default: null })
  codeHash!: string | null;

  /** Binds a login code to one login attempt (the mfaToken carries the same id). */
  @Prop()
  attemptId?: string;

  @Prop({ required: true })
  issuedAt!: Date;

  @Prop({ required: true })
  expiresAt!: Date;

  @Prop({ type: Date, default: null })
  usedAt!: Date | null;
}

export const OtpSchema = SchemaFactory.createForClass(Otp);
OtpSchema.index({ userId: 1, purpose: 1 }, { unique: true });
OtpSchema.index({ expiresAt: 1 });
