import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { IncomingMessage } from 'node:http';
import { Strategy } from 'passport-jwt';
import { SignedInUser } from '../../users/signed-in-user';
import { Clock } from '../../common/time/clock';
import { jwtConfig, JwtConfig } from '../../config/configuration';
import { SessionsService } from '../../sessions/sessions.service';
import { kidOf, SigningKeys } from '../../signing-keys/signing-keys.service';
import { AccessClaims, ALGORITHM } from './token.service';
import { VerifiedTokens } from './verified-tokens';

/** Exactly `Bearer <one JWT>`: nothing before the scheme, nothing after the token. */
const BEARER = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/i;

/** How many verified tokens an instance remembers (a few MB at most). */
export const VERIFIED_TOKENS_MAX = 10_000;

export function bearerToken(request: IncomingMessage): string | null {
  const header = request.headers.authorization;
  return typeof header === 'string' ? (BEARER.exec(header)?.[1] ?? null) : null;
}

type Claims = AccessClaims & { exp?: unknown };

/**
 * Access tokens: ES256 only (passport-jwt refuses `none`, HS256 and every other algorithm), the
 * public key chosen by the header's `kid` from the in-memory key set, issuer and audience checked
 * by passport-jwt; type and expiry checked here, expiry against the injected clock (passport-jwt
 * would read the real time, which no test can move), and a token without `exp` is refused. Then
 * the session must be live and the user active, so logout, revocation and disabling take effect
 * at once. A token seen before skips the signature check (see VerifiedTokens), never the rest.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  private readonly verified = new VerifiedTokens<Claims>(VERIFIED_TOKENS_MAX);

  constructor(
    @Inject(jwtConfig.KEY) config: JwtConfig,
    private readonly keys: SigningKeys,
    private readonly sessions: SessionsService,
    private readonly clock: Clock,
  ) {
    super({
      jwtFromRequest: bearerToken,
      secretOrKeyProvider: (_request, token: string, done) => {
        keys.resolveVerifier(token).then(
          // passport-jwt hands it to jsonwebtoken, which takes KeyObjects; its types lag.
          (key) => (key ? done(null, key as unknown as string) : done(new Error('unknown key'))),
          (error: Error) => done(error),
        );
      },
      algorithms: [ALGORITHM],
      issuer: config.issuer,
      audience: config.audience,
      ignoreExpiration: true, // checked in check(), against the clock
      passReqToCallback: true,
    });
  }

  override authenticate(request: IncomingMessage, options?: object): void {
    const known = this.checkKnown(request);
    if (!known)
      return super.authenticate(request as Parameters<Strategy['authenticate']>[0], options);
    known.then(
      (user) => (user ? this.success(user) : this.fail(401)),
      (error: Error) => this.error(error),
    );
  }

  /**
   * For a token verified before (and whose key still verifies): the per-request checks alone,
   * without Passport's machinery (the global guard calls this first). `undefined` for any other
   * request: it goes through Passport and passport-jwt.
   */
  checkKnown(request: IncomingMessage): Promise<SignedInUser | false> | undefined {
    const token = bearerToken(request);
    const seen = token === null ? undefined : this.verified.get(token);
    if (!seen || !this.keys.verifies(seen.kid, this.clock.now().getTime())) return undefined;
    return this.check(seen.claims);
  }

  /** After passport-jwt verified the token: remember it, then the per-request checks. */
  async validate(request: IncomingMessage, claims: Claims): Promise<SignedInUser | false> {
    const token = bearerToken(request);
    const kid = token === null ? undefined : kidOf(token);
    if (token !== null && kid !== undefined) this.verified.set(token, kid, claims);
    return this.check(claims);
  }

  private async check(claims: Claims): Promise<SignedInUser | false> {
    if (claims.typ !== 'access' || typeof claims.sid !== 'string' || typeof claims.sub !== 'string')
      return false;
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= this.clock.now().getTime())
      return false;
    const state = await this.sessions.state(claims.sid, claims.sub);
    if (!state.live || !state.user) return false;
    const user: SignedInUser = {
      id: claims.sub,
      sessionId: claims.sid,
      role: state.user.role,
      user: state.user,
    };
    // From the signed token: an impersonation costs no query here (the hot path stays as it is).
    if (typeof claims.act?.sub === 'string') user.impersonatorId = claims.act.sub;
    return user;
  }
}
