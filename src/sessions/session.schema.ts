import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, Types } from 'mongoose';

/** One login: holds the current refresh-token hash and the ones rotated away (reuse detection). */
@Schema({ collection: 'sessions', versionKey: false })
export class Session {
  @Prop({ type: MongooseSchema.Types.ObjectId, required: true, index: true })
  userId!: Types.ObjectId;

  /** SHA-256 of the current refresh secret. */
  @Prop({ required: true })
  refreshHash!: string;

  /** The most recent refresh-token hashes rotated away (at most RECENT_HASHES): replaying one is theft. */
  @Prop({ type: [String], default: [] })
  previousHashes!: string[];

  /** The hash the current token replaced, and when: a retry of that refresh within the grace period is not theft. */
  @Prop()
  rotatedFromHash?: string;

  @Prop()
  rotatedAt?: Date;

  /**
   * When the rotation's write reached the database, by the database's clock: later than
   * `rotatedAt` only when the database stalled, and then the start of the retry grace.
   */
  @Prop()
  rotationLandedAt?: Date;

  @Prop({ required: true })
  createdAt!: Date;

  @Prop({ required: true })
  lastUsedAt!: Date;

  /** Absolute end: login time + JWT_REFRESH_TTL; rotation never moves it. */
  @Prop({ required: true })
  expiresAt!: Date;

  @Prop()
  ip?: string;

  @Prop()
  userAgent?: string;

  /** The admin acting as the user in this session (impersonation); absent for the user's own. */
  @Prop({ type: MongooseSchema.Types.ObjectId })
  impersonatorId?: Types.ObjectId;

  @Prop()
  revokedAt?: Date;

  @Prop()
  revokedReason?: string;
}

export const SessionSchema = SchemaFactory.createForClass(Session);
// Real MongoDB drops expired sessions a day late by itself; the purge job does it everywhere.
SessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 86_400 });
