import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AuthUser } from '../../common/decorators/current-user.decorator';
import { NOT_WHILE_IMPERSONATING } from '../../common/decorators/not-while-impersonating.decorator';
import { DomainException } from '../../common/errors/domain.exception';
import { DomainEvents } from '../../common/events/domain-event';
import { requestOrigin } from '../../common/http/request-origin';

/**
 * Global, right after the JWT guard. For a request made with an impersonation token (its `act`
 * claim, read by the JWT strategy): one audit entry naming the admin as actor and the user as
 * target, and a refusal of the owner-only changes (`@NotWhileImpersonating()`). Every other
 * request passes untouched, at no cost.
 */
@Injectable()
export class ImpersonationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly events: DomainEvents,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const user = request.user;
    if (!user?.impersonatorId) return true;
    const refused = this.reflector.getAllAndOverride<boolean>(NOT_WHILE_IMPERSONATING, [
      context.getHandler(),
      context.getClass(),
    ]);
    this.events.emit('auth.impersonation.request', {
      actorId: user.impersonatorId,
      targetType: 'user',
      targetId: user.id,
      ...requestOrigin(request),
      outcome: refused ? 'failure' : 'success',
      details: {
        method: request.method,
        route: request.routeOptions?.url ?? request.url.split('?')[0],
        sessionId: user.sessionId,
        ...(refused ? { reason: 'impersonation_restricted' } : {}),
      },
    });
    if (refused)
      throw new DomainException(
        HttpStatus.FORBIDDEN,
        'impersonation_restricted',
        'Only the account owner can do this: not while an admin acts as the user.',
      );
    return true;
  }
}
