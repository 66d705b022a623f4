import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { OutcomeError } from './oauth.errors';

export type FlowPurpose = 'sign_in' | 'link';

/**
 * A flow between its start and the provider's callback: what the callback must check the answer
 * against. Keyed by the SHA-256 of `state`; removed by the one callback that consumes it.
 */
@Schema({ collection: 'oauth_flows', versionKey: false })
export class OAuthFlow {
  /** SHA-256 (hex) of the `state` sent to the provider. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  provider!: string;

  @Prop({ required: true })
  purpose!: FlowPurpose;

  /** The front-end URL the callback returns to (in the allowlist when the flow started). */
  @Prop({ required: true })
  redirectUri!: string;

  /** The PKCE verifier; only its S256 challenge went to the provider. */
  @Prop({ required: true })
  codeVerifier!: string;

  @Prop({ required: true })
  nonce!: string;

  /** SHA-256 of the cookie set on the browser that started a sign-in (none for a link). */
  @Prop()
  bindingHash?: string;

  /** The language the start asked in (Accept-Language), for an account the sign-in creates. */
  @Prop()
  locale?: string;

  /** The user linking a provider (purpose `link`). */
  @Prop()
  userId?: string;

  @Prop({ required: true })
  expiresAt!: Date;
}

export const OAuthFlowSchema = SchemaFactory.createForClass(OAuthFlow);
// TTL where the server honours it; the purge job and every query's expiry check do not rely on it.
OAuthFlowSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
OAuthFlowSchema.index({ userId: 1 }, { sparse: true });

/** What a one-time exchange code stands for. */
export interface CodeOutcome {
  purpose: FlowPurpose;
  userId?: string;
  identityId?: string;
  provider: string;
  /** Set when the callback refused the sign-in: the exchange answers this problem. */
  error?: OutcomeError;
}

/** The one-time code the callback hands the front end: 60 seconds, single use. */
@Schema({ collection: 'oauth_codes', versionKey: false })
export class OAuthCode {
  /** SHA-256 (hex) of the code. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: Object, required: true })
  outcome!: CodeOutcome;

  @Prop({ required: true })
  expiresAt!: Date;
}

export const OAuthCodeSchema = SchemaFactory.createForClass(OAuthCode);
OAuthCodeSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
