import { ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import {
  ThrottlerGuard,
  ThrottlerLimitDetail,
  ThrottlerOptions,
  ThrottlerRequest,
} from '@nestjs/throttler';
import { tooManyRequests } from '../errors/domain.exception';
import { AUTH_THROTTLER } from './throttler.storage';

const AUTH_RATE_LIMIT = 'authRateLimit';

/** @nestjs/throttler's metadata keys (`@SkipThrottle`, `@Throttle`), suffixed with the limit's name. */
const SKIP = 'THROTTLER:SKIP';
const LIMIT = 'THROTTLER:LIMIT';
const TTL = 'THROTTLER:TTL';
const BLOCK_DURATION = 'THROTTLER:BLOCK_DURATION';
const OVERRIDES = ['THROTTLER:TRACKER', 'THROTTLER:KEY_GENERATOR'];

/**
 * Puts a controller or route under RATE_LIMIT_AUTH instead of RATE_LIMIT_DEFAULT (`false` on a
 * route takes it back out of its controller's). Chosen by the matched route, never by the raw
 * URL: the router decodes paths (`/api/v1/%61uth/...` is `/api/v1/auth/...`), so a pattern on the
 * URL can be walked around.
 */
export const AuthRateLimit = (applies = true) => SetMetadata(AUTH_RATE_LIMIT, applies);

/** What a route counts under: its one limit, or nothing (`@SkipThrottle()` for that limit). */
type Resolved = {
  throttler: ThrottlerOptions;
  limit: number;
  ttl: number;
  blockDuration: number;
} | null;
interface RouteLimit {
  auth: boolean;
  limit: Resolved | 'library';
}

/**
 * Each route counts under exactly one limit per IP: RATE_LIMIT_AUTH where marked,
 * RATE_LIMIT_DEFAULT elsewhere. The library's own `canActivate` reads six metadata keys per limit
 * on every request and runs both limits (the one that does not apply returning at once); here a
 * route's limit is resolved from its metadata once, on its first request, and only that limit is
 * counted. A route that overrides the library's tracker or key generator, or gives a limit as a
 * function, goes through the library's path instead.
 */
@Injectable()
export class RouteThrottlerGuard extends ThrottlerGuard {
  private readonly routeLimits = new WeakMap<object, RouteLimit>();

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const { limit } = this.routeLimit(context);
    if (limit === 'library') return super.canActivate(context);
    if (limit === null) return true;
    return this.handleRequest({
      context,
      throttler: limit.throttler,
      limit: limit.limit,
      ttl: limit.ttl,
      blockDuration: limit.blockDuration,
      getTracker: this.commonOptions.getTracker!,
      generateKey: this.commonOptions.generateKey!,
    });
  }

  /** On the library's path, each limit but the route's own lets the request through. */
  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const { context, throttler } = request;
    if (this.routeLimit(context).auth !== (throttler.name === AUTH_THROTTLER)) return true;
    return super.handleRequest(request);
  }

  private routeLimit(context: ExecutionContext): RouteLimit {
    const handler = context.getHandler();
    let route = this.routeLimits.get(handler);
    if (route === undefined) this.routeLimits.set(handler, (route = this.resolve(context)));
    return route;
  }

  private resolve(context: ExecutionContext): RouteLimit {
    const targets = [context.getHandler(), context.getClass()];
    const read = (key: string): unknown => this.reflector.getAllAndOverride(key, targets);
    const auth = read(AUTH_RATE_LIMIT) === true;
    return { auth, limit: this.resolveLimit(read, auth) };
  }

  private resolveLimit(read: (key: string) => unknown, auth: boolean): Resolved | 'library' {
    const throttler = this.throttlers.find((t) => (t.name === AUTH_THROTTLER) === auth);
    if (!throttler) return null;
    const name = throttler.name ?? 'default';
    if (read(SKIP + name)) return null;
    const limit = read(LIMIT + name) ?? throttler.limit;
    const ttl = read(TTL + name) ?? throttler.ttl;
    const blockDuration = read(BLOCK_DURATION + name) ?? throttler.blockDuration ?? ttl;
    const custom = OVERRIDES.some((key) => read(key + name) !== undefined);
    if (custom || throttler.skipIf || this.commonOptions.skipIf) return 'library';
    if (typeof limit !== 'number' || typeof ttl !== 'number' || typeof blockDuration !== 'number')
      return 'library';
    return { throttler, limit, ttl, blockDuration };
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
