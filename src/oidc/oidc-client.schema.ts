import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

/** An application registered by an admin to sign users in (or to call APIs) through us. */
@Schema({ collection: 'oidc_clients', versionKey: false })
export class OidcClient {
  /** The `client_id`: random, never reused. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  name!: string;

  @Prop({ type: [String], required: true })
  grantTypes!: GrantType[];

  @Prop({ type: [String], default: [] })
  redirectUris!: string[];

  @Prop({ type: [String], default: [] })
  postLogoutRedirectUris!: string[];

  /** The API scopes a service may ask for with client_credentials (beside the OpenID ones). */
  @Prop({ type: [String], default: [] })
  scopes!: string[];

  /** Ours: its users are not asked for consent. */
  @Prop({ required: true })
  firstParty!: boolean;

  /** A browser or native app: no secret, PKCE required. */
  @Prop({ required: true })
  public!: boolean;

  /** The secret, AES-256-GCM encrypted (the provider compares it in clear); absent for public clients. */
  @Prop({ select: false })
  secret?: string;

  @Prop({ required: true })
  createdAt!: Date;

  @Prop()
  secretRotatedAt?: Date;
}

export const OidcClientSchema = SchemaFactory.createForClass(OidcClient);
