import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { createHash, randomBytes } from 'node:crypto';
import { Clock } from '../../common/time/clock';
import { CodeOutcome, FlowPurpose, OAuthCode, OAuthFlow } from './oauth-flow.schema';
import { openidClient } from './providers/openid-client';

/** State, nonce and PKCE verifier live this long between the start and the callback. */
export const FLOW_TTL_MS = 10 * 60_000;
/** The one-time code the front end exchanges for tokens lives this long. */
export const CODE_TTL_MS = 60_000;

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const randomToken = () => randomBytes(32).toString('base64url');

export interface StartedFlow {
  state: string;
  nonce: string;
  codeChallenge: string;
  /** The value of the cookie that binds a sign-in to the browser that started it. */
  binding?: string;
}

/**
 * The single-use records of a provider sign-in: the flow (state, nonce, PKCE verifier) from the
 * start to the callback, and the exchange code from the callback to the front end. Only hashes
 * of `state` and of the code are stored. Each is consumed by one atomic find-and-delete with its
 * expiry (on the injected clock) in the filter, so a replay, a foreign value or a late one
 * matches nothing, and of parallel uses exactly one wins.
 */
@Injectable()
export class OAuthFlows {
  constructor(
    @InjectModel(OAuthFlow.name) private readonly flows: Model<OAuthFlow>,
    @InjectModel(OAuthCode.name) private readonly codes: Model<OAuthCode>,
    private readonly clock: Clock,
  ) {}

  async begin(flow: {
    provider: string;
    purpose: FlowPurpose;
    redirectUri: string;
    userId?: string;
    locale?: string;
    bindToBrowser: boolean;
  }): Promise<StartedFlow> {
    const state = randomToken();
    const nonce = randomToken();
    const oidc = await openidClient();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const binding = flow.bindToBrowser ? randomToken() : undefined;
    await this.flows.create({
      _id: sha256(state),
      provider: flow.provider,
      purpose: flow.purpose,
      redirectUri: flow.redirectUri,
      codeVerifier,
      nonce,
      ...(binding ? { bindingHash: sha256(binding) } : {}),
      ...(flow.userId ? { userId: flow.userId } : {}),
      ...(flow.locale ? { locale: flow.locale } : {}),
      expiresAt: new Date(this.clock.now().getTime() + FLOW_TTL_MS),
    });
    return {
      state,
      nonce,
      codeChallenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      binding,
    };
  }

  /**
   * The flow `state` names, removed: only for the provider it was started for, before it
   * expires, and (for a sign-in) from the browser holding its cookie. Null otherwise, and then
   * nothing is consumed, so a callback forged from elsewhere cannot burn someone's sign-in.
   */
  async consume(
    provider: string,
    state: unknown,
    binding: string | undefined,
  ): Promise<OAuthFlow | null> {
    if (typeof state !== 'string' || state.length === 0 || state.length > 256) return null;
    const bound = binding ? [{ bindingHash: sha256(binding) }] : [];
    return this.flows
      .findOneAndDelete({
        _id: sha256(state),
        provider,
        expiresAt: { $gt: this.clock.now() },
        $or: [{ bindingHash: null }, ...bound],
      })
      .lean();
  }

  async issueCode(outcome: CodeOutcome): Promise<string> {
    const code = randomToken();
    await this.codes.create({
      _id: sha256(code),
      outcome,
      expiresAt: new Date(this.clock.now().getTime() + CODE_TTL_MS),
    });
    return code;
  }

  /** What the code stands for, once: null when unknown, used or expired. */
  async redeem(code: string): Promise<CodeOutcome | null> {
    const found = await this.codes
      .findOneAndDelete({ _id: sha256(code), expiresAt: { $gt: this.clock.now() } })
      .lean();
    return found?.outcome ?? null;
  }

  async purgeExpired(): Promise<number> {
    const now = this.clock.now();
    const [flows, codes] = await Promise.all([
      this.flows.deleteMany({ expiresAt: { $lte: now } }),
      this.codes.deleteMany({ expiresAt: { $lte: now } }),
    ]);
    return flows.deletedCount + codes.deletedCount;
  }

  /** A deleted user's unfinished links and unexchanged codes. Idempotent. */
  async forgetUser(userId: string): Promise<void> {
    await this.flows.deleteMany({ userId });
    await this.codes.deleteMany({ 'outcome.userId': userId });
  }
}
