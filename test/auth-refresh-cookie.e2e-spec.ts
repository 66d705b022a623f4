import { bearer, PASSWORD, signUp } from './support/auth-helpers';
import { createTestApp, TestApp } from './support/test-app';

/** The browser form of the refresh token: `refreshTokenCookie: true` (issue 15). */
describe('Refresh token in an HttpOnly cookie', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: 'true', JWT_REFRESH_GRACE: '0s' });
    await signUp(t, 'ada@example.com');
  });
  afterAll(() => t.close());

  const cookiesOf = (res: { headers: Record<string, unknown> }): string[] => {
    const header = res.headers['set-cookie'];
    return Array.isArray(header) ? (header as string[]) : header ? [String(header)] : [];
  };
  const tokenIn = (cookies: string[]) => /^um_refresh=([^;]*)/.exec(cookies[0] ?? '')?.[1];

  /** Both sign-in steps; the refresh token in the cookie unless `cookie` is false. */
  async function signInWithCookie(email = 'ada@example.com', cookie = true) {
    const before = t.mail.to(email).length;
    const step1 = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email, password: PASSWORD })
      .expect(200);
    const code = await t.mail.code(email, /sign-in code/, before);
    return t
      .http()
      .post('/api/v1/auth/login/verify')
      .send({
        mfaToken: step1.body.mfaToken,
        code,
        ...(cookie ? { refreshTokenCookie: true } : {}),
      })
      .expect(200);
  }

  const cookieRefresh = (token: string | undefined, headers: Record<string, string> = {}) => {
    const req = t.http().post('/api/v1/auth/refresh').set(headers);
    if (token !== undefined) void req.set('Cookie', `um_refresh=${token}`);
    return req.send({ refreshTokenCookie: true });
  };
  const csrf = { 'X-Requested-With': 'XMLHttpRequest' };

  it('sets the refresh token as an HttpOnly, SameSite=Strict cookie on refresh and logout only, never in the body', async () => {
    const res = await signInWithCookie();
    expect(res.body).toMatchObject({ accessToken: expect.any(String), tokenType: 'Bearer' });
    expect(res.body).not.toHaveProperty('refreshToken');
    const cookies = cookiesOf(res);
    expect(cookies).toHaveLength(2);
    const token = tokenIn(cookies)!;
    expect(token).toMatch(/^[0-9a-f]{24}\.[\w-]{43}$/);
    expect(res.text).not.toContain(token);
    expect(res.text).not.toContain(token.split('.')[1]);
    expect(cookies.map((c) => /Path=([^;]+)/.exec(c)?.[1]).sort()).toEqual([
      '/api/v1/auth/logout',
      '/api/v1/auth/refresh',
    ]);
    for (const cookie of cookies) {
      expect(cookie).toContain(`um_refresh=${token};`);
      expect(cookie).toMatch(/; HttpOnly(;|$)/);
      expect(cookie).toMatch(/; SameSite=Strict(;|$)/);
      expect(cookie).toContain('; Max-Age=604800');
      // Plain HTTP to 127.0.0.1 outside production: the one case where Secure is left off.
      expect(cookie).not.toContain('Secure');
    }
    await t.http().get('/api/v1/users/me').set(bearer(res.body)).expect(200);
  });

  it('marks the cookie Secure for any other host, and behind a TLS proxy', async () => {
    const step = async (headers: Record<string, string>) => {
      const before = t.mail.to('ada@example.com').length;
      const step1 = await t
        .http()
        .post('/api/v1/auth/login')
        .set(headers)
        .send({ email: 'ada@example.com', password: PASSWORD })
        .expect(200);
      const code = await t.mail.code('ada@example.com', /sign-in code/, before);
      return t
        .http()
        .post('/api/v1/auth/login/verify')
        .set(headers)
        .send({ mfaToken: step1.body.mfaToken, code, refreshTokenCookie: true })
        .expect(200);
    };
    const cases: Record<string, string>[] = [
      { Host: 'admin.example.com' },
      { 'X-Forwarded-Proto': 'https' },
    ];
    for (const headers of cases) {
      const cookies = cookiesOf(await step(headers));
      expect(cookies).toHaveLength(2);
      for (const cookie of cookies) expect(cookie).toMatch(/; Secure(;|$)/);
    }
  });

  it('refreshes from the cookie with the custom header, rotating the cookie and keeping the token out of the body', async () => {
    const first = tokenIn(cookiesOf(await signInWithCookie()))!;
    const res = await cookieRefresh(first, csrf).expect(200);
    expect(res.body).toMatchObject({
      accessToken: expect.any(String),
      user: { email: 'ada@example.com' },
    });
    expect(res.body).not.toHaveProperty('refreshToken');
    const next = tokenIn(cookiesOf(res))!;
    expect(next).toMatch(/^[0-9a-f]{24}\./);
    expect(next).not.toBe(first);
    expect(res.text).not.toContain(next.split('.')[1]);
    await t.http().get('/api/v1/users/me').set(bearer(res.body)).expect(200);
    // The rotated-away cookie is theft, as with the body form; the answer clears the cookie.
    const replay = await cookieRefresh(first, csrf).expect(401);
    expect(replay.body.code).toBe('refresh_token_reused');
    expect(
      cookiesOf(replay).every((c) => c.startsWith('um_refresh=;') && c.includes('Max-Age=0')),
    ).toBe(true);
  });

  it('refuses a cookie refresh without the custom header (CSRF), and leaves the session usable', async () => {
    const token = tokenIn(cookiesOf(await signInWithCookie()))!;
    const refused = await cookieRefresh(token).expect(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ code: 'csrf_header_missing', detail: expect.any(String) });
    expect(cookiesOf(refused)).toEqual([]);
    await cookieRefresh(token, { 'X-Requested-With': '' }).expect(403);
    // Nothing was consumed: the same cookie still refreshes once the header is there.
    await cookieRefresh(token, csrf).expect(200);
  });

  it('answers 401 to the cookie form without a cookie, and 400 to a body with neither form', async () => {
    const none = await cookieRefresh(undefined, csrf).expect(401);
    expect(none.body.code).toBe('invalid_token');
    const neither = await t.http().post('/api/v1/auth/refresh').send({}).expect(400);
    expect(neither.body.errors).toEqual([expect.objectContaining({ field: 'refreshToken' })]);
    await t.http().post('/api/v1/auth/refresh').send({ refreshTokenCookie: false }).expect(400);
    await t
      .http()
      .post('/api/v1/auth/refresh')
      .send({ refreshTokenCookie: 'yes', refreshToken: 'a.b' })
      .expect(400);
  });

  it('keeps the body form as it was: the token in the body, no cookie, a cookie sent along ignored', async () => {
    const pair = await signInWithCookie('ada@example.com', false);
    expect(pair.body.refreshToken).toMatch(/^[0-9a-f]{24}\./);
    expect(cookiesOf(pair)).toEqual([]);
    const res = await t
      .http()
      .post('/api/v1/auth/refresh')
      .set('Cookie', 'um_refresh=000000000000000000000000.not-this-one')
      .send({ refreshToken: pair.body.refreshToken })
      .expect(200);
    expect(res.body.refreshToken).toMatch(/^[0-9a-f]{24}\./);
    expect(cookiesOf(res)).toEqual([]);
  });

  it('moves a body-form session into the cookie when a refresh asks for it', async () => {
    const pair = await signInWithCookie('ada@example.com', false);
    const res = await t
      .http()
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: pair.body.refreshToken, refreshTokenCookie: true })
      .expect(200);
    expect(res.body).not.toHaveProperty('refreshToken');
    await cookieRefresh(tokenIn(cookiesOf(res)), csrf).expect(200);
  });

  it('clears the cookie at logout, after which it refreshes nothing', async () => {
    const signedIn = await signInWithCookie();
    const token = tokenIn(cookiesOf(signedIn))!;
    const out = await t
      .http()
      .post('/api/v1/auth/logout')
      .set(bearer(signedIn.body))
      .set('Cookie', `um_refresh=${token}`)
      .expect(204);
    const cleared = cookiesOf(out);
    expect(cleared).toHaveLength(2);
    for (const cookie of cleared)
      expect(cookie).toMatch(
        /^um_refresh=; Path=\/api\/v1\/auth\/(refresh|logout); Max-Age=0; HttpOnly/,
      );
    await cookieRefresh(token, csrf).expect(401);
  });

  it('sets the cookie at the password step too when no second step is needed', async () => {
    const one = await createTestApp({ LOGIN_EMAIL_OTP: 'false' });
    try {
      await signUp(one, 'bob@example.com');
      const res = await one
        .http()
        .post('/api/v1/auth/login')
        .send({ email: 'bob@example.com', password: PASSWORD, refreshTokenCookie: true })
        .expect(200);
      expect(res.body.accessToken).toEqual(expect.any(String));
      expect(res.body).not.toHaveProperty('refreshToken');
      expect(cookiesOf(res)).toHaveLength(2);
    } finally {
      await one.close();
    }
  });
});
