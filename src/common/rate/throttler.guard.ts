import { ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerRequest } from '@nestjs/throttler';
import { tooManyRequests } from '../errors/domain.exception';
import { AUTH_THROTTLER } from './throttler.storage';

const AUTH_RATE_LIMIT = 'authRateLimit';

/**
 * Puts a controller or route under RATE_LIMIT_AUTH instead of RATE_LIMIT_DEFAULT (`false` on a
 * route takes it back out of its controller's). Chosen by the matched route, never by the raw
 * URL: the router decodes paths (`/api/v1/%61uth/...` is `/api/v1/auth/...`), so a pattern on the
 * URL can be walked around.
 */
export const AuthRateLimit = (applies = true) => SetMetadata(AUTH_RATE_LIMIT, applies);

/** Each route counts under exactly one limit per IP: RATE_LIMIT_AUTH where marked, RATE_LIMIT_DEFAULT elsewhere. */
@Injectable()
export class RouteThrottlerGuard extends ThrottlerGuard {
  /** Each handler's limit, read from its metadata once rather than on every request. */
  private readonly authRoutes = new WeakMap<object, boolean>();

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const { context, throttler } = request;
    if (this.isAuthRoute(context) !== (throttler.name === AUTH_THROTTLER)) return true;
    return super.handleRequest(request);
  }

  private isAuthRoute(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let authRoute = this.authRoutes.get(handler);
    if (authRoute === undefined) {
      authRoute =
        this.reflector.getAllAndOverride<boolean>(AUTH_RATE_LIMIT, [
          handler,
          context.getClass(),
        ]) === true;
      this.authRoutes.set(handler, authRoute);
    }
    return authRoute;
  }

  /** Per IP across all routes of a limit (the library counts per route by default). */
  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    name: string,
  ): string {
    return `${name}:${tracker}`;
  }

  /** A standard `Retry-After` (the library names it per throttler) on a problem response. */
  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw tooManyRequests(
      'rate_limited',
      'Too many requests; slow down.',
      Math.max(1, detail.timeToBlockExpire),
    );
  }
}
