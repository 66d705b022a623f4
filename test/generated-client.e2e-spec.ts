import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import type { paths } from '../client/schema';
import { PASSWORD } from './support/auth-helpers';
import { createTestApp, TestApp } from './support/test-app';

/**
 * What a front-end team does (README, "A typed client"): types generated from the served document
 * by openapi-typescript, calls made with openapi-fetch over real HTTP. Every path, body and answer
 * below is checked by the compiler against client/schema.d.ts, so a document that stopped
 * describing the API as it answers fails here, in type-checking or at run time.
 */
describe('A client generated from the OpenAPI document', () => {
  let t: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => t.close());

  /** A client that sends `token()` as the bearer token whenever there is one. */
  function client(token: () => string | undefined = () => undefined): Client<paths> {
    const api = createClient<paths>({ baseUrl });
    api.use({
      onRequest({ request }) {
        const value = token();
        if (value) request.headers.set('Authorization', `Bearer ${value}`);
        return request;
      },
    });
    return api;
  }

  /** The answer's body, or a failure that shows what came back instead. */
  function ok<D>(result: { data?: D; error?: unknown; response: Response }): D {
    if (result.data === undefined)
      throw new Error(
        `${result.response.url}: ${result.response.status} ${JSON.stringify(result.error)}`,
      );
    return result.data;
  }

  /** Signs up and verifies `email` with the typed client, reading the code from the SMTP sink. */
  async function signUp(api: Client<paths>, email: string) {
    const before = t.mail.to(email).length;
    const registered = await api.POST('/api/v1/auth/register', {
      body: { email, password: PASSWORD, firstName: 'Grace' },
    });
    expect(registered.response.status).toBe(201);
    expect(ok(registered).user).toMatchObject({ email, status: 'pending', emailVerified: false });
    const code = await t.mail.code(email, /verification code/, before);
    const verified = ok(await api.POST('/api/v1/auth/verify-email', { body: { email, code } }));
    expect(verified.user).toMatchObject({ email, status: 'active', emailVerified: true });
  }

  /** The password step, which must answer the emailed second step, and the code it mailed. */
  async function passwordStep(api: Client<paths>, email: string) {
    const before = t.mail.to(email).length;
    const answer = ok(
      await api.POST('/api/v1/auth/login', { body: { email, password: PASSWORD } }),
    );
    // The 200 is a token pair or a challenge (oneOf in the document): narrowed by its fields.
    if (!('mfaRequired' in answer)) throw new Error('expected a second step, got a token pair');
    expect(answer.method).toBe('email_otp');
    return { mfaToken: answer.mfaToken, code: await t.mail.code(email, /sign-in code/, before) };
  }

  it('was generated from the document this server serves: client/schema.d.ts is what /docs-json gives today', async () => {
    // What `npx openapi-typescript <server>/docs-json -o schema.d.ts` writes: header, then types.
    const generated =
      COMMENT_HEADER + astToString(await openapiTS(`${baseUrl}/docs-json`, { silent: true }));
    const checkedIn = readFileSync(join(__dirname, '../client/schema.d.ts'), 'utf8');
    const fresh = generated.split('\n');
    const kept = checkedIn.split('\n');
    const lines = Array.from({ length: Math.max(fresh.length, kept.length) }, (_, i) => i);
    const line = lines.find((i) => fresh[i] !== kept[i]);
    expect(
      line === undefined
        ? 'up to date'
        : `client/schema.d.ts differs from /docs-json at line ${line + 1} (run npm run client:generate): ` +
            `checked in ${JSON.stringify(kept[line])}, served ${JSON.stringify(fresh[line])}`,
    ).toBe('up to date');
  });

  it('signs up, signs in with both steps, edits the profile, refreshes and signs out with typed calls', async () => {
    const email = 'grace@example.com';
    let accessToken: string | undefined;
    const api = client(() => accessToken);

    await signUp(api, email);
    const { mfaToken, code } = await passwordStep(api, email);
    const pair = ok(await api.POST('/api/v1/auth/login/verify', { body: { mfaToken, code } }));
    expect(pair).toMatchObject({ tokenType: 'Bearer', expiresIn: expect.any(Number) });
    expect(pair.user.email).toBe(email);
    // Without `refreshTokenCookie` the refresh token is in the body: the non-browser form.
    const refreshToken = pair.refreshToken;
    if (refreshToken === undefined) throw new Error('no refresh token in the body');
    accessToken = pair.accessToken;

    const me = ok(await api.GET('/api/v1/users/me'));
    expect(me).toMatchObject({ id: pair.user.id, email, role: 'user', firstName: 'Grace' });
    expect(me.permissions).toEqual([]);
    expect(me.hasPassword).toBe(true);

    const changed = ok(
      await api.PATCH('/api/v1/users/me', {
        body: { firstName: 'Grace', lastName: 'Hopper', gender: 'female', locale: 'es' },
      }),
    );
    expect(changed).toMatchObject({ lastName: 'Hopper', gender: 'female', locale: 'es' });
    expect(ok(await api.GET('/api/v1/users/me'))).toMatchObject({ lastName: 'Hopper' });
    // The generated types hold the contract's enums, and the server refuses what they refuse.
    const refused = await api.PATCH('/api/v1/users/me', {
      // @ts-expect-error `locale` is 'en' or 'es' in the document
      body: { locale: 'fr' },
    });
    expect(refused.response.status).toBe(400);
    expect(refused.error).toMatchObject({ status: 400, code: 'validation_failed' });

    const rotated = ok(await api.POST('/api/v1/auth/refresh', { body: { refreshToken } }));
    expect(rotated.accessToken).not.toBe(pair.accessToken);
    const nextRefreshToken = rotated.refreshToken;
    if (nextRefreshToken === undefined) throw new Error('no refresh token in the refresh answer');
    expect(nextRefreshToken).not.toBe(refreshToken);
    accessToken = rotated.accessToken;
    expect(ok(await api.GET('/api/v1/users/me')).id).toBe(pair.user.id);

    const logout = await api.POST('/api/v1/auth/logout');
    expect(logout.response.status).toBe(204);
    expect(logout.error).toBeUndefined();

    // Signed out: the access token is refused at once, and so is the session's refresh token.
    const after = await api.GET('/api/v1/users/me');
    expect(after.response.status).toBe(401);
    expect(after.data).toBeUndefined();
    expect(after.error).toMatchObject({ status: 401, requestId: expect.any(String) });
    const refreshAfter = await api.POST('/api/v1/auth/refresh', {
      body: { refreshToken: nextRefreshToken },
    });
    expect(refreshAfter.response.status).toBe(401);
  });

  it('keeps the refresh token in the HttpOnly cookie when asked (the browser form), still typed', async () => {
    const email = 'ada@example.com';
    let accessToken: string | undefined;
    let cookie: string | undefined;
    const api = client(() => accessToken);
    // What a browser does by itself: keep um_refresh and send it back on refresh and logout.
    const jar: Middleware = {
      onRequest({ request }) {
        if (cookie) request.headers.set('Cookie', cookie);
        return request;
      },
      onResponse({ response }) {
        const set = response.headers.getSetCookie().find((c) => c.startsWith('um_refresh='));
        if (set) cookie = set.split(';')[0];
        return response;
      },
    };
    api.use(jar);

    await signUp(api, email);
    const step = await passwordStep(api, email);
    const pair = ok(
      await api.POST('/api/v1/auth/login/verify', {
        body: { ...step, refreshTokenCookie: true },
      }),
    );
    expect(pair.refreshToken).toBeUndefined();
    expect(cookie).toMatch(/^um_refresh=.+/);
    const first = cookie;
    accessToken = pair.accessToken;
    expect(ok(await api.GET('/api/v1/users/me')).email).toBe(email);

    // On a reload the access token is gone: the cookie form gets another, with no refreshToken in
    // the body and the CSRF header the document names.
    accessToken = undefined;
    const rotated = ok(
      await api.POST('/api/v1/auth/refresh', {
        body: { refreshTokenCookie: true },
        params: { header: { 'X-Requested-With': 'XMLHttpRequest' } },
      }),
    );
    expect(rotated.refreshToken).toBeUndefined();
    expect(cookie).not.toBe(first);
    accessToken = rotated.accessToken;
    expect(ok(await api.GET('/api/v1/users/me')).email).toBe(email);

    const withoutHeader = await api.POST('/api/v1/auth/refresh', {
      body: { refreshTokenCookie: true },
    });
    expect(withoutHeader.response.status).toBe(403);
    expect(withoutHeader.error).toMatchObject({ code: 'csrf_header_missing' });

    expect((await api.POST('/api/v1/auth/logout')).response.status).toBe(204);
    expect(cookie).toBe('um_refresh=');
    expect((await api.GET('/api/v1/users/me')).response.status).toBe(401);
  });
});
