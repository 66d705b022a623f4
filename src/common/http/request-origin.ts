import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RequestOrigin } from '../events/domain-event';

export function requestOrigin(request: FastifyRequest): RequestOrigin {
  const agent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof agent === 'string' ? agent.slice(0, 256) : undefined };
}

/** The caller's IP (through trusted proxies only, see TRUST_PROXY) and user agent. */
export const Origin = createParamDecorator((_: unknown, ctx: ExecutionContext) =>
  requestOrigin(ctx.switchToHttp().getRequest<FastifyRequest>()),
);
