import { Injectable } from '@nestjs/common';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerModuleOptions,
  ThrottlerOptions,
  ThrottlerStorage,
} from '@nestjs/throttler';
import { AUTH_THROTTLER } from '../common/rate/throttler.storage';
import { ROUTES } from './oidc-provider.config';

/** Where a secret is tried (a password, a code, a client secret): the sign-in limit applies. */
const SECRET_PATHS = new Set<string>([ROUTES.token, ROUTES.introspection, ROUTES.revocation]);

/**
 * The app's rate limits for the provider's routes, which Fastify serves outside Nest's guards:
 * the same counters (and store: memory, the database or Redis) and the same per-IP keys as
 * `RouteThrottlerGuard`, so a client cannot double its budget by switching between the API and
 * /oidc. The hosted sign-in page's form posts and the token endpoints count under
 * RATE_LIMIT_AUTH, everything else under RATE_LIMIT_DEFAULT (one limit per request, as there).
 */
@Injectable()
export class OidcRateLimit {
  private readonly limits: Map<string, ThrottlerOptions>;

  constructor(
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
  ) {
    const throttlers = Array.isArray(options) ? options : options.throttlers;
    this.limits = new Map(throttlers.map((throttler) => [throttler.name ?? 'default', throttler]));
  }

  /**
   * Counts a request (`secret`: it tries a secret); the seconds to wait when it is over its
   * limit, else undefined.
   */
  async take(ip: string, secret: boolean): Promise<number | undefined> {
    const name = secret ? AUTH_THROTTLER : 'default';
    const limit = this.limits.get(name);
    if (!limit) return undefined;
    const ttl = Number(limit.ttl);
    const max = Number(limit.limit);
    const hit = await this.storage.increment(`${name}:${ip}`, ttl, max, ttl, name);
    return hit.isBlocked ? Math.max(1, hit.timeToBlockExpire) : undefined;
  }
}

/**
 * Whether a request to the provider's own routes tries a secret. Decoded and lower-cased first,
 * so no spelling of the path (`/oidc/%74oken`) slips under the looser limit; counting a
 * request that the provider then refuses under the stricter one costs nothing.
 */
export function triesSecret(method: string, url: string): boolean {
  if (method !== 'POST') return false;
  let path = url.split('?', 1)[0]!;
  try {
    path = decodeURIComponent(path);
  } catch {
    return true;
  }
  return SECRET_PATHS.has(path.toLowerCase().replace(/\/+$/, ''));
}
