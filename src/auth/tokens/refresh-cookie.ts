import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainException } from '../../common/errors/domain.exception';
import { API_PREFIX } from '../../common/http/api-prefix';
import { appConfig, AppConfig, jwtConfig, JwtConfig } from '../../config/configuration';
import { TokenPairDto } from '../dto/token-pair.dto';

export const REFRESH_COOKIE = 'um_refresh';
/** The custom header a cookie-based refresh must carry (any non-empty value). */
export const CSRF_HEADER = 'x-requested-with';
/** The cookie goes to these two routes and nowhere else (one cookie per path). */
export const REFRESH_COOKIE_PATHS = [`/${API_PREFIX}/auth/refresh`, `/${API_PREFIX}/auth/logout`];

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
const TOKEN_VALUE = /^[A-Za-z0-9._-]{1,512}$/;

/**
 * The browser form of the refresh token (`"refreshTokenCookie": true`): the token travels in an
 * HttpOnly cookie that scripts cannot read, instead of the response body. SameSite=Strict keeps
 * it off cross-site requests, its paths keep it off every route but refresh and logout, and a
 * refresh that uses it must carry a custom header, which a cross-origin page cannot add without
 * a CORS preflight that only allowed origins pass (with JSON-only bodies, a second wall).
 */
@Injectable()
export class RefreshCookie {
  constructor(
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(jwtConfig.KEY) private readonly jwt: JwtConfig,
  ) {}

  /** The pair as the client asked for it: with the cookie chosen, the body has no refresh token. */
  deliver(
    pair: TokenPairDto,
    useCookie: boolean | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): TokenPairDto {
    const { refreshToken, ...rest } = pair;
    if (!useCookie || refreshToken === undefined) return pair;
    this.write(request, reply, refreshToken, Math.floor(this.jwt.refreshTtlMs / 1000));
    return rest;
  }

  /** The refresh token from the cookie, for a refresh that carries the CSRF header. */
  read(request: FastifyRequest): string {
    const header = request.headers[CSRF_HEADER];
    if (typeof header !== 'string' || header.trim() === '')
      throw new DomainException(
        HttpStatus.FORBIDDEN,
        'csrf_header_missing',
        'A refresh with the cookie needs the X-Requested-With header.',
      );
    const token = this.present(request);
    if (!token)
      throw new DomainException(
        HttpStatus.UNAUTHORIZED,
        'invalid_token',
        'No refresh cookie was sent; sign in again.',
      );
    return token;
  }

  /** Whether the request carries the cookie (sent only to refresh and logout). */
  present(request: FastifyRequest): string | undefined {
    const header = request.headers.cookie;
    if (!header) return undefined;
    for (const part of header.split(';')) {
      const [name, ...value] = part.trim().split('=');
      const token = value.join('=');
      if (name === REFRESH_COOKIE && TOKEN_VALUE.test(token)) return token;
    }
    return undefined;
  }

  clear(request: FastifyRequest, reply: FastifyReply): void {
    this.write(request, reply, '', 0);
  }

  private write(request: FastifyRequest, reply: FastifyReply, value: string, maxAge: number) {
    const secure = this.secure(request) ? '; Secure' : '';
    const cookies = REFRESH_COOKIE_PATHS.map(
      (path) =>
        `${REFRESH_COOKIE}=${value}; Path=${path}; Max-Age=${maxAge}; HttpOnly${secure}; SameSite=Strict`,
    );
    void reply.header('set-cookie', cookies);
  }

  /**
   * Secure always, except outside production on plain HTTP to a loopback host (a development
   * server on http://localhost), where a Secure cookie would not come back from every client.
   */
  private secure(request: FastifyRequest): boolean {
    if (this.app.production) return true;
    return !(request.protocol === 'http' && LOOPBACK_HOSTS.has(request.hostname.toLowerCase()));
  }
}
