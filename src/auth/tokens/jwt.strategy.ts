import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AuthUser } from '../../common/decorators/current-user.decorator';
import { jwtConfig, JwtConfig } from '../../config/configuration';
import { SessionsService } from '../../sessions/sessions.service';
import { AccessClaims, ALGORITHM, TokenService } from './token.service';

/**
 * Access tokens: HS256 only, issuer, audience, expiry and type checked; then the session must be
 * live and the user active, so logout, revocation and disabling take effect at once.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(jwtConfig.KEY) config: JwtConfig,
    tokens: TokenService,
    private readonly sessions: SessionsService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: tokens.key as unknown as string,
      algorithms: [ALGORITHM],
      issuer: config.issuer,
      audience: config.audience,
      ignoreExpiration: false,
    });
  }

  async validate(claims: AccessClaims): Promise<AuthUser | false> {
    if (claims.typ !== 'access' || typeof claims.sid !== 'string' || typeof claims.sub !== 'string') return false;
    const state = await this.sessions.state(claims.sid, claims.sub);
    return state.live ? { id: claims.sub, sessionId: claims.sid, role: state.role } : false;
  }
}
