import { createServer, Server } from 'node:http';
import { once } from 'node:events';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { generateSync } from 'otplib';
import type { Browser, HTTPResponse, Page } from 'puppeteer-core';
import { ADMIN } from './support/admin-helpers';
import { bearer, Pair, PASSWORD, signIn, signUp } from './support/auth-helpers';
import { chromiumOrSkip, launchChromium } from './support/chromium';
import {
  freePort,
  oauthError,
  registerClient,
  RegisteredClient,
  relyingParty,
} from './support/oidc-helpers';
import { createTestApp, TestApp } from './support/test-app';

const { chromium, describeBrowser } = chromiumOrSkip('the sign-in page tests');

jest.setTimeout(120_000);

declare const document: {
  documentElement: { scrollWidth: number };
  body: { innerText: string };
  querySelectorAll(selector: string): { length: number };
};

/**
 * Signing other apps in: openid-client as the relying party drives the authorization code flow
 * with PKCE through the hosted sign-in page in Chromium (the emailed code read from the SMTP
 * sink, a TOTP account, consent for a third-party client), then checks the ID token and the
 * access token against the JWKS, userinfo, refresh with rotation, introspection, revocation and
 * RP-initiated logout; and the refusals: no PKCE for a public client, a wrong redirect_uri (no
 * redirect), a disabled user, signing out of the app.
 */
describeBrowser('OpenID provider: sign-in through the hosted page', () => {
  let t: TestApp;
  let issuer: string;
  let admin: Pair;
  let browser: Browser;
  let page: Page;
  let rp: Server;
  let callback: string;
  let thirdParty: RegisteredClient;
  let firstParty: RegisteredClient;
  const api = () => `${issuer}/api`;
  const jwks = () => createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));

  beforeAll(async () => {
    const port = await freePort();
    issuer = `http://127.0.0.1:${port}`;
    t = await createTestApp({
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      PUBLIC_URL: issuer,
      LOCKOUT_THRESHOLD: '3',
    });
    await t.app.listen(port, '127.0.0.1');
    // The relying party's callback: a page that just says it got there.
    rp = createServer((_req, res) => res.end('relying party'));
    rp.listen(0, '127.0.0.1');
    await once(rp, 'listening');
    callback = `http://127.0.0.1:${(rp.address() as { port: number }).port}/callback`;
    admin = await signIn(t, ADMIN.email, ADMIN.password);
    const common = {
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: [callback],
      postLogoutRedirectUris: [`${callback}/signed-out`],
      scopes: ['reports:read'],
    };
    thirdParty = await registerClient(t, admin, { ...common, name: 'Reports', firstParty: false });
    firstParty = await registerClient(t, admin, { ...common, name: 'Intranet', firstParty: true });
    browser = await launchChromium(chromium);
  });

  afterAll(async () => {
    await browser?.close();
    rp?.close();
    await t?.close();
  });

  /** A fresh browser profile: no provider session carried over. */
  async function freshPage() {
    if (page) await page.browserContext().close();
    const context = await browser.createBrowserContext();
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.setViewport({ width: 390, height: 844 });
  }
  beforeEach(freshPage);

  /** An authorization request like a relying party's, with PKCE, state and nonce. */
  async function authorize(client: RegisteredClient, extra: Record<string, string> = {}) {
    const config = await relyingParty(issuer, client);
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: callback,
      scope: 'openid profile email phone roles reports:read',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      resource: api(),
      ...extra,
    });
    return { config, verifier, state, nonce, url };
  }

  const submit = async (fields: Record<string, string>, button = 'button[type=submit]') => {
    for (const [name, value] of Object.entries(fields)) {
      await page.$eval(
        `input[name=${name}]`,
        (el) => ((el as unknown as { value: string }).value = ''),
      );
      await page.type(`input[name=${name}]`, value);
    }
    const [response] = await Promise.all([page.waitForNavigation(), page.click(button)]);
    return response as HTTPResponse;
  };
  const bodyText = () => page.evaluate(() => document.body.innerText);
  const atCallback = () => page.url().startsWith(callback);

  /** The password, then the emailed code, on the hosted page. */
  async function passwordAndEmailCode(email: string) {
    const before = t.mail.to(email).length;
    await submit({ email, password: PASSWORD });
    expect(await bodyText()).toContain('We sent a 6-digit code');
    const code = await t.mail.code(email, /sign-in code|código de inicio de sesión/, before);
    return submit({ code });
  }

  async function exchange(flow: Awaited<ReturnType<typeof authorize>>) {
    return oidc.authorizationCodeGrant(flow.config, new URL(page.url()), {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
  }

  it('signs in with password and emailed code, asks consent, and the relying party gets verified tokens', async () => {
    const email = 'ada@example.com';
    await signUp(t, email);
    await t.db
      .collection('users')
      .updateOne(
        { email },
        { $set: { firstName: 'Ada', lastName: 'Lovelace', phone: '+447700900123', locale: 'es' } },
      );
    const flow = await authorize(thirdParty);
    const first = await page.goto(flow.url.href);
    expect(page.url()).toMatch(new RegExp(`^${issuer}/oidc/interaction/`));
    const csp = first!.headers()['content-security-policy'];
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(await page.evaluate(() => document.querySelectorAll('script').length)).toBe(0);
    // Usable on a phone: nothing wider than the 390 px screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
    expect(await bodyText()).toContain('Sign in to continue to Reports');

    await passwordAndEmailCode(email);
    // Not first-party: the user is asked.
    expect(await bodyText()).toContain('Reports asks to');
    expect(await bodyText()).toContain('See your email address');
    await submit({}, 'button[value=allow]');
    expect(atCallback()).toBe(true);

    const tokens = await exchange(flow);
    const { payload: id } = await jwtVerify(tokens.id_token!, jwks(), {
      issuer,
      audience: thirdParty.clientId,
      algorithms: ['ES256'],
    });
    expect(id.nonce).toBe(flow.nonce);
    expect(id.amr).toEqual(['pwd', 'mfa']);
    const sub = String(id.sub);

    const info = await oidc.fetchUserInfo(flow.config, tokens.access_token, sub);
    expect(info).toMatchObject({
      sub,
      email,
      email_verified: true,
      name: 'Ada Lovelace',
      given_name: 'Ada',
      family_name: 'Lovelace',
      locale: 'es',
      phone_number: '+447700900123',
      role: 'user',
      permissions: [],
    });

    // The refresh token rotates; asked for the API, the access token is a JWT for it.
    const refreshed = await oidc.refreshTokenGrant(flow.config, tokens.refresh_token!, {
      resource: api(),
    });
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    const { payload: at, protectedHeader } = await jwtVerify(refreshed.access_token, jwks(), {
      issuer,
      audience: api(),
      algorithms: ['ES256'],
      typ: 'at+jwt',
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect(at).toMatchObject({ sub, client_id: thirdParty.clientId, scope: 'reports:read' });

    // Introspection and revocation of the (opaque) access token for userinfo.
    expect(await oidc.tokenIntrospection(flow.config, tokens.access_token)).toMatchObject({
      active: true,
      sub,
      client_id: thirdParty.clientId,
    });
    await oidc.tokenRevocation(flow.config, tokens.access_token);
    expect(await oidc.tokenIntrospection(flow.config, tokens.access_token)).toEqual({
      active: false,
    });
    expect(await oauthError(oidc.fetchUserInfo(flow.config, tokens.access_token, sub))).toBe(
      'invalid_token',
    );

    // A used refresh token replayed: refused, and the grant (with its new token) revoked.
    expect(await oauthError(oidc.refreshTokenGrant(flow.config, tokens.refresh_token!))).toBe(
      'invalid_grant',
    );
    expect(await oauthError(oidc.refreshTokenGrant(flow.config, refreshed.refresh_token!))).toBe(
      'invalid_grant',
    );

    // RP-initiated logout: asked, confirmed, back at the relying party; the next sign-in asks again.
    const logout = oidc.buildEndSessionUrl(flow.config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: `${callback}/signed-out`,
    });
    await page.goto(logout.href);
    expect(await bodyText()).toContain('Do you want to sign out?');
    await submit({}, 'button[value=yes]');
    expect(page.url()).toMatch(new RegExp(`^${callback}/signed-out`));
    const again = await authorize(thirdParty);
    await page.goto(again.url.href);
    expect(await bodyText()).toContain('Sign in to continue');
  });

  it('signs a TOTP account in with a code from the app (first-party: no consent), in Spanish', async () => {
    const email = 'grace@example.com';
    await signUp(t, email);
    const pair = await signIn(t, email);
    const setup = await t
      .http()
      .post('/api/v1/auth/2fa/totp/setup')
      .set(bearer(pair))
      .send({ password: PASSWORD })
      .expect(200);
    const codeAt = (steps: number) =>
      generateSync({
        secret: setup.body.secret,
        epoch: Math.floor(t.clock.now().getTime() / 1000) + steps * 30,
      });
    const enabled = await t
      .http()
      .post('/api/v1/auth/2fa/totp/enable')
      .set(bearer(pair))
      .send({ code: codeAt(0) })
      .expect(200);
    const recoveryCodes = enabled.body.recoveryCodes as string[];
    await page.setExtraHTTPHeaders({ 'Accept-Language': 'es-ES,es;q=0.9' });
    const flow = await authorize(firstParty);
    await page.goto(flow.url.href);
    expect(await bodyText()).toContain('Iniciar sesión');
    const before = t.mail.to(email).length;
    await submit({ email, password: PASSWORD });
    expect(await bodyText()).toContain('aplicación de autenticación');
    t.clock.advance(30_000);
    await submit({ code: codeAt(0) });
    expect(atCallback()).toBe(true);
    // No code was mailed: TOTP is the second step.
    await t.settle();
    expect(
      t.mail
        .to(email)
        .slice(before)
        .map((m) => m.subject)
        .join(),
    ).not.toMatch(/código|code/i);
    const tokens = await exchange(flow);
    const info = await oidc.fetchUserInfo(flow.config, tokens.access_token, tokens.claims()!.sub);
    expect(info.email).toBe(email);

    // Without the device: a recovery code at the same step.
    await freshPage();
    const again = await authorize(firstParty);
    await page.goto(again.url.href);
    await submit({ email, password: PASSWORD });
    await submit({ code: recoveryCodes[0] });
    expect(atCallback()).toBe(true);
    expect((await exchange(again)).claims()!.sub).toBe(tokens.claims()!.sub);
  });

  it('shows the API errors and lockout on the page, with their statuses', async () => {
    const email = 'mallory@example.com';
    await signUp(t, email);
    const flow = await authorize(firstParty);
    await page.goto(flow.url.href);
    for (let i = 0; i < 3; i++) {
      const wrong = await submit({ email, password: 'not the password' });
      expect(wrong.status()).toBe(401);
      expect(await bodyText()).toContain('The email or password is not correct.');
    }
    const locked = await submit({ email, password: PASSWORD });
    expect(locked.status()).toBe(429);
    expect(Number(locked.headers()['retry-after'])).toBeGreaterThan(0);
    expect(await bodyText()).toContain('Too many failed attempts');
    expect(atCallback()).toBe(false);
  });

  it("ends a user's grants when they sign out everywhere or reset the password, and a disabled user's at once", async () => {
    const signedInThroughUs = async (email: string) => {
      const flow = await authorize(firstParty);
      await page.goto(flow.url.href);
      await passwordAndEmailCode(email);
      expect(atCallback()).toBe(true);
      return { flow, tokens: await exchange(flow) };
    };
    await signUp(t, 'bob@example.com');
    const bob = await signedInThroughUs('bob@example.com');
    const bobApp = await signIn(t, 'bob@example.com');
    await t.http().post('/api/v1/auth/logout-all').set(bearer(bobApp)).expect(204);
    await t.settle();
    expect(
      await oauthError(oidc.refreshTokenGrant(bob.flow.config, bob.tokens.refresh_token!)),
    ).toBe('invalid_grant');

    await freshPage();
    await signUp(t, 'carl@example.com');
    const carl = await signedInThroughUs('carl@example.com');
    const before = t.mail.to('carl@example.com').length;
    await t
      .http()
      .post('/api/v1/auth/forgot-password')
      .send({ email: 'carl@example.com' })
      .expect(202);
    const reset = await t.mail.code('carl@example.com', /password reset code/, before);
    await t
      .http()
      .post('/api/v1/auth/reset-password')
      .send({ email: 'carl@example.com', code: reset, newPassword: `${PASSWORD} again` })
      .expect(200);
    await t.settle();
    expect(
      await oauthError(oidc.refreshTokenGrant(carl.flow.config, carl.tokens.refresh_token!)),
    ).toBe('invalid_grant');

    await freshPage();
    await signUp(t, 'eve@example.com');
    const eve = await signedInThroughUs('eve@example.com');
    const eveId = eve.tokens.claims()!.sub;
    await t
      .http()
      .patch(`/api/v1/admin/users/${eveId}/status`)
      .set(bearer(admin))
      .send({ status: 'disabled' })
      .expect(200);
    expect(
      await oauthError(oidc.refreshTokenGrant(eve.flow.config, eve.tokens.refresh_token!)),
    ).toBe('invalid_grant');
    expect(
      await oauthError(oidc.fetchUserInfo(eve.flow.config, eve.tokens.access_token, eveId)),
    ).toBe('invalid_token');
    expect(await t.db.collection('oidc_records').countDocuments({ accountId: eveId })).toBe(0);
  });

  it('exchanges a code once however many requests race for it', async () => {
    await signUp(t, 'race@example.com');
    const flow = await authorize(firstParty);
    await page.goto(flow.url.href);
    await passwordAndEmailCode('race@example.com');
    expect(atCallback()).toBe(true);
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => exchange(flow)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('refuses a public client without PKCE, and a wrong redirect_uri without redirecting', async () => {
    const spa = await registerClient(t, admin, {
      name: 'SPA',
      grantTypes: ['authorization_code'],
      redirectUris: [callback],
      public: true,
    });
    const params = (extra: Record<string, string>) =>
      new URLSearchParams({
        client_id: spa.clientId,
        response_type: 'code',
        scope: 'openid',
        redirect_uri: callback,
        state: 's',
        ...extra,
      });
    const noPkce = await t
      .http()
      .get(`/oidc/auth?${params({})}`)
      .expect(303);
    const back = new URL(noPkce.headers.location);
    expect(back.origin + back.pathname).toBe(callback);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('error_description')).toMatch(/PKCE/);

    const plain = await t
      .http()
      .get(
        `/oidc/auth?${params({ code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' })}`,
      )
      .expect(303);
    expect(new URL(plain.headers.location).searchParams.get('error')).toBe('invalid_request');

    const wrong = await t
      .http()
      .get(`/oidc/auth?${params({ redirect_uri: 'https://evil.example/callback' })}`)
      .expect(400);
    expect(wrong.headers.location).toBeUndefined();
    expect(wrong.headers['content-type']).toMatch(/text\/html/);
    expect(wrong.text).toContain('redirect_uri');
    expect(wrong.text).not.toContain('<script');
  });
});
