import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { AuthUser } from '../../common/decorators/current-user.decorator';
import { conflict, DomainException, notFound } from '../../common/errors/domain.exception';
import { DomainEvents, RequestOrigin } from '../../common/events/domain-event';
import { jwtConfig, JwtConfig } from '../../config/configuration';
import { RbacService } from '../../rbac/rbac.service';
import { SessionsService } from '../../sessions/sessions.service';
import { UsersService } from '../../users/users.service';
import { ImpersonationDto } from './impersonation.dto';
import { TokenService } from '../tokens/token.service';

/**
 * Support as the user: a session of the user's own, marked with the admin, and an access token
 * carrying `act: { sub: <admin> }` that lives JWT_ACCESS_TTL and is never refreshed. Only users
 * without any permission can be impersonated (no admin acts as another admin, nor as anyone who
 * could act on others), the user is mailed, and every request is audited (ImpersonationGuard).
 */
@Injectable()
export class ImpersonationService {
  constructor(
    private readonly users: UsersService,
    private readonly rbac: RbacService,
    private readonly sessions: SessionsService,
    private readonly tokens: TokenService,
    private readonly events: DomainEvents,
    @Inject(jwtConfig.KEY) private readonly config: JwtConfig,
  ) {}

  async start(adminId: string, userId: string, origin: RequestOrigin): Promise<ImpersonationDto> {
    if (adminId === userId)
      throw conflict('own_account', 'Admins cannot act as themselves: they already are.');
    const user = await this.users.findById(userId);
    if (!user) throw notFound('The user');
    if ((await this.rbac.permissionsOf(user.role)).length > 0)
      throw new DomainException(
        HttpStatus.FORBIDDEN,
        'impersonation_forbidden',
        `Nobody can act as a user whose role (${user.role}) holds permissions.`,
      );
    if (user.status !== 'active')
      throw conflict('user_not_active', `The account is ${user.status}: nobody can act as it.`);
    const ttlMs = this.config.accessTtlMs;
    const { sessionId } = await this.sessions.create(user.id, origin, {
      impersonatorId: adminId,
      ttlMs,
    });
    const expiresIn = Math.floor(ttlMs / 1000);
    const accessToken = this.tokens.impersonation(user, sessionId, adminId, expiresIn);
    this.events.emit('auth.impersonation.started', {
      actorId: adminId,
      targetType: 'user',
      targetId: user.id,
      ...origin,
      outcome: 'success',
      details: { sessionId, minutes: Math.ceil(ttlMs / 60_000) },
      notify: { email: user.email, locale: user.locale },
    });
    return { accessToken, tokenType: 'Bearer', expiresIn, user, impersonatorId: adminId };
  }

  /** Ends the impersonation the caller's token belongs to (its session is revoked). */
  async stop(caller: AuthUser, origin: RequestOrigin): Promise<void> {
    if (!caller.impersonatorId)
      throw conflict('not_impersonating', 'This token does not act for an admin: nothing to stop.');
    await this.sessions.revoke(caller.id, caller.sessionId, 'impersonation_ended');
    this.events.emit('auth.impersonation.ended', {
      actorId: caller.impersonatorId,
      targetType: 'user',
      targetId: caller.id,
      ...origin,
      outcome: 'success',
      details: { sessionId: caller.sessionId },
    });
  }
}
