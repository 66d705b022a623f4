import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * One artefact of the OpenID provider (an authorization code, a token, a grant, a session, an
 * interaction...), as its adapter stores it: `_id` is `<kind>:<id>`. The payload is kept as JSON
 * text because it has keys MongoDB treats specially (resource URLs with dots in a grant). The
 * fields beside it are what the provider looks records up by, and what ends a user's grants.
 */
@Schema({ collection: 'oidc_records', versionKey: false })
export class OidcRecord {
  @Prop({ type: String, required: true })
  _id!: string;

  /** The provider's model name: `AccessToken`, `RefreshToken`, `Grant`, `Session`, ... */
  @Prop({ required: true })
  kind!: string;

  @Prop({ required: true })
  payload!: string;

  @Prop()
  grantId?: string;

  /** A session's uid (the provider finds sessions by it). */
  @Prop()
  uid?: string;

  @Prop()
  userCode?: string;

  /** The user the artefact belongs to, so signing out of the app can end every grant. */
  @Prop()
  accountId?: string;

  @Prop()
  clientId?: string;

  /** Set once, atomically, by the first use of a code or a refresh token. */
  @Prop()
  consumedAt?: Date;

  /**
   * Every query compares with it (the development database never applies TTL indexes); the TTL
   * index removes expired records on a real MongoDB, the purge job everywhere.
   */
  @Prop({ required: true })
  expiresAt!: Date;
}

export const OidcRecordSchema = SchemaFactory.createForClass(OidcRecord);
OidcRecordSchema.index({ grantId: 1 }, { sparse: true });
OidcRecordSchema.index({ uid: 1 }, { sparse: true });
OidcRecordSchema.index({ userCode: 1 }, { sparse: true });
OidcRecordSchema.index({ accountId: 1 }, { sparse: true });
OidcRecordSchema.index({ clientId: 1 }, { sparse: true });
OidcRecordSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
