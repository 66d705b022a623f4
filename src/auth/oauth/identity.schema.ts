import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** A provider account (`provider`, `subject`) linked to one user. */
@Schema({ collection: 'oauth_identities', timestamps: { createdAt: true, updatedAt: false } })
export class OAuthIdentity {
  @Prop({ required: true })
  provider!: string;

  /** The provider's stable id for the person (`sub`). */
  @Prop({ required: true })
  subject!: string;

  @Prop({ required: true, index: true })
  userId!: string;

  /** The email the provider gave when linked, for display only (never used to match). */
  @Prop()
  email?: string;

  @Prop()
  lastUsedAt?: Date;

  createdAt!: Date;
}

export const OAuthIdentitySchema = SchemaFactory.createForClass(OAuthIdentity);
// One user per provider account: the index decides races between two links.
OAuthIdentitySchema.index({ provider: 1, subject: 1 }, { unique: true });
