import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RequestOrigin } from '../events/domain-event';
import { requestOrigin } from '../http/request-origin';
import { AuthUser } from './current-user.decorator';

/** Who makes a change and from where: what a service writes into its audit entry and events. */
export interface Actor {
  id: string;
  origin: RequestOrigin;
}

/** An actor who gives roles or permissions: with those their own role holds on this request. */
export interface Grantor extends Actor {
  permissions: readonly string[];
}

const request = (ctx: ExecutionContext) =>
  ctx.switchToHttp().getRequest<FastifyRequest & { user: AuthUser }>();

/** The caller as an Actor: `@CurrentUser()`'s id with `@Origin()`'s address and user agent. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = request(ctx);
  return { id: req.user.id, origin: requestOrigin(req) };
});

/** The caller as a Grantor: its permissions as the permissions guard resolved them (none if not). */
export const CurrentGrantor = createParamDecorator((_: unknown, ctx: ExecutionContext): Grantor => {
  const req = request(ctx);
  return { id: req.user.id, origin: requestOrigin(req), permissions: req.user.permissions ?? [] };
});
