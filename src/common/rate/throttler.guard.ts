import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerRequest } from '@nestjs/throttler';
import { tooManyRequests } from '../errors/domain.exception';
import { AUTH_THROTTLER } from './throttler.storage';

const AUTH_PATH = /^\/api\/v1\/auth\//;

/** RATE_LIMIT_AUTH applies to /auth/* routes and RATE_LIMIT_DEFAULT to everything else, per IP. */
@Injectable()
export class RouteThrottlerGuard extends ThrottlerGuard {
  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const url = request.context.switchToHttp().getRequest<{ url: string }>().url;
    if (AUTH_PATH.test(url) !== (request.throttler.name === AUTH_THROTTLER)) return true;
    return super.handleRequest(request);
  }

  /** Per IP across all routes of a limit (the library counts per route by default). */
  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }

  /** A standard `Retry-After` (the library names it per throttler) on a problem response. */
  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw tooManyRequests('rate_limited', 'Too many requests; slow down.', Math.max(1, detail.timeToBlockExpire));
  }
}
