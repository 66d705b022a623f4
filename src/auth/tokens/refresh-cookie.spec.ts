import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig, JwtConfig } from '../../config/configuration';
import { RefreshCookie } from './refresh-cookie';

describe(RefreshCookie.name, () => {
  const cookie = (production: boolean) =>
    new RefreshCookie({ production } as AppConfig, { refreshTtlMs: 7 * 86_400_000 } as JwtConfig);
  const request = (protocol: string, hostname: string, headers: Record<string, string> = {}) =>
    ({ protocol, hostname, headers }) as unknown as FastifyRequest;
  const setCookies = (rc: RefreshCookie, req: FastifyRequest): string[] => {
    let written: string[] = [];
    const reply = {
      header: (_: string, value: string[]) => (written = value),
    } as unknown as FastifyReply;
    const body = rc.deliver(
      {
        accessToken: 'a',
        refreshToken: 'sid.secret',
        tokenType: 'Bearer',
        expiresIn: 900,
        user: {} as never,
      },
      true,
      req,
      reply,
    );
    expect(body).not.toHaveProperty('refreshToken');
    return written;
  };

  it('is Secure in production even on plain-HTTP localhost', () => {
    for (const c of setCookies(cookie(true), request('http', 'localhost')))
      expect(c).toMatch(/; Secure;/);
  });

  it('relaxes Secure outside production only for plain HTTP to a loopback host', () => {
    for (const host of ['localhost', '127.0.0.1', '[::1]'])
      for (const c of setCookies(cookie(false), request('http', host)))
        expect(c).not.toContain('Secure');
    for (const c of setCookies(cookie(false), request('http', 'admin.example.com')))
      expect(c).toMatch(/; Secure;/);
    for (const c of setCookies(cookie(false), request('https', 'localhost')))
      expect(c).toMatch(/; Secure;/);
  });

  it('returns the body untouched when the cookie was not asked for', () => {
    const pair = {
      accessToken: 'a',
      refreshToken: 'sid.secret',
      tokenType: 'Bearer' as const,
      expiresIn: 900,
      user: {} as never,
    };
    const reply = {
      header: () => {
        throw new Error('no cookie expected');
      },
    } as unknown as FastifyReply;
    expect(cookie(true).deliver(pair, false, request('https', 'x'), reply)).toBe(pair);
  });

  it('reads the token only with a non-empty X-Requested-With header', () => {
    const rc = cookie(true);
    const withCookie = (headers: Record<string, string>) =>
      request('https', 'x', { cookie: 'other=1; um_refresh=sid.secret', ...headers });
    expect(() => rc.read(withCookie({}))).toThrow(/X-Requested-With/);
    expect(() => rc.read(withCookie({ 'x-requested-with': ' ' }))).toThrow(/X-Requested-With/);
    expect(rc.read(withCookie({ 'x-requested-with': 'XMLHttpRequest' }))).toBe('sid.secret');
  });
});
