import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { IncomingMessage } from 'node:http';
import { Strategy } from 'passport-jwt';
import { SignedInUser } from '../../users/signed-in-user';
import { Clock } from '../../common/time/clock';
import { jwtConfig, JwtConfig } from '../../config/configuration';
import { SessionsService } from '../../sessions/sessions.service';
import { AccessClaims, ALGORITHM, TokenService } from './token.service';

/** Exactly `Bearer <one JWT>`: nothing before the scheme, nothing after the token. */
const BEARER = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/i;

export function bearerToken(request: IncomingMessage): string | null {
  const header = request.headers.authorization;
  return typeof header === 'string' ? (BEARER.exec(header)?.[1] ?? null) : null;
}

/**
 * Access tokens: HS256 only, issuer and audience checked by passport-jwt; type and expiry
 * checked here, expiry against the injected clock (passport-jwt would read the real time, which
 * no test can move), and a token without `exp` is refused. Then the session must be live and the
 * user active, so logout, revocation and disabling take effect at once.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(jwtConfig.KEY) config: JwtConfig,
    tokens: TokenService,
    private readonly sessions: SessionsService,
    private readonly clock: Clock,
  ) {
    super({
      jwtFromRequest: bearerToken,
      secretOrKey: tokens.key as unknown as string,
      algorithms: [ALGORITHM],
      issuer: config.issuer,
      audience: config.audience,
      ignoreExpiration: true, // checked in validate(), against the clock
    });
  }

  async validate(claims: AccessClaims & { exp?: unknown }): Promise<SignedInUser | false> {
    if (claims.typ !== 'access' || typeof claims.sid !== 'string' || typeof claims.sub !== 'string')
      return false;
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= this.clock.now().getTime())
      return false;
    const state = await this.sessions.state(claims.sid, claims.sub);
    if (!state.live || !state.user) return false;
    return { id: claims.sub, sessionId: claims.sid, role: state.user.role, user: state.user };
  }
}
