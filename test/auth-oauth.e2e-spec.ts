import { generateSync } from 'otplib';
import {
  auditEntries,
  bearer,
  enableTotp,
  Pair,
  PASSWORD,
  signIn,
  signUp,
} from './support/auth-helpers';
import { Browser, Hop } from './support/browser';
import { OAuthFake, FakeLogin } from './support/oauth-fake';
import { ProviderAccount, TestOpenIdProvider } from './support/oidc-provider';
import { createTestApp, TestApp } from './support/test-app';

const APP = 'http://api.test';
const FRONT = 'https://app.example.com/auth/done';
const callback = (provider: string) => `${APP}/api/v1/auth/oauth/${provider}/callback`;

/**
 * Sign-in with providers (issue 14): Google is a real OpenID Provider (oidc-provider, on
 * loopback); `acme` (a generic OpenID Connect provider) and Facebook are a scripted stand-in that
 * can forge what a real provider never would.
 */
describe('Sign-in with Google, Facebook and OpenID Connect providers', () => {
  let t: TestApp;
  const google = new TestOpenIdProvider('google-client', 'google-secret', [callback('google')]);
  const fake = new OAuthFake({ 'acme-client': 'acme-secret', 'fb-app': 'fb-secret' });

  beforeAll(async () => {
    await Promise.all([google.start(), fake.start()]);
    t = await createTestApp({
      PUBLIC_URL: APP,
      OAUTH_REDIRECT_ALLOWLIST: `${FRONT},https://other.example.com/x`,
      OAUTH_GOOGLE_CLIENT_ID: 'google-client',
      OAUTH_GOOGLE_CLIENT_SECRET: 'google-secret',
      OAUTH_GOOGLE_ISSUER: google.issuer,
      OAUTH_FACEBOOK_CLIENT_ID: 'fb-app',
      OAUTH_FACEBOOK_CLIENT_SECRET: 'fb-secret',
      OAUTH_FACEBOOK_DIALOG_URL: fake.facebookDialogUrl,
      OAUTH_FACEBOOK_GRAPH_URL: fake.facebookGraphUrl,
      OAUTH_OIDC_ACME_ISSUER: fake.issuer,
      OAUTH_OIDC_ACME_CLIENT_ID: 'acme-client',
      OAUTH_OIDC_ACME_CLIENT_SECRET: 'acme-secret',
    });
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([google.stop(), fake.stop()]);
  });

  const startUrl = (provider: string, redirectUri = FRONT) =>
    `${APP}/api/v1/auth/oauth/${provider}/start?redirectUri=${encodeURIComponent(redirectUri)}`;

  /** One person in one browser: start → provider → callback → the front end's URL. */
  async function signInWith(
    provider: 'google' | 'facebook' | 'acme',
    who: ProviderAccount | FakeLogin,
    browser = new Browser(t, APP),
  ): Promise<{ code: string; browser: Browser; end: Hop }> {
    if (provider === 'google') await google.nextLogin(who);
    else fake.next = who;
    const end = await browser.navigate(startUrl(provider), FRONT);
    const code = new URL(end.url).searchParams.get('code');
    if (!code) throw new Error(`no code: ${JSON.stringify(browser.hops)}`);
    return { code, browser, end };
  }
  const exchange = (code: string, lang?: string) => {
    const req = t.http().post('/api/v1/auth/oauth/exchange');
    return (lang ? req.set('Accept-Language', lang) : req).send({ code });
  };
  const users = () => t.db.collection('users');
  const identities = () => t.db.collection('oauth_identities');
  const me = async (pair: Pair) =>
    (await t.http().get('/api/v1/users/me').set(bearer(pair)).expect(200)).body;

  it('lists the configured providers', async () => {
    const res = await t.http().get('/api/v1/auth/providers').expect(200);
    expect(res.body.items).toEqual([
      { name: 'google', displayName: 'Google', protocol: 'oidc' },
      { name: 'facebook', displayName: 'Facebook', protocol: 'oauth2' },
      { name: 'acme', displayName: 'acme', protocol: 'oidc' },
    ]);
  });

  describe('start', () => {
    it('answers 302 to the provider with PKCE (S256), state and nonce, and a browser-binding cookie', async () => {
      const res = await t.http().get(startUrl('google').slice(APP.length)).expect(302);
      const to = new URL(res.headers.location as string);
      expect(to.origin).toBe(google.issuer);
      expect(Object.fromEntries(to.searchParams)).toMatchObject({
        client_id: 'google-client',
        redirect_uri: callback('google'),
        response_type: 'code',
        code_challenge_method: 'S256',
        scope: 'openid email profile',
      });
      expect(to.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
      expect(to.searchParams.get('nonce')).toMatch(/^[\w-]{43}$/);
      expect(to.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
      expect(String(res.headers['set-cookie'])).toMatch(
        /^oauth_[0-9a-f]{16}=[\w-]{43}; Path=\/api\/v1\/auth\/oauth\/google\/callback; Max-Age=600; HttpOnly; SameSite=Lax/,
      );
    });

    it('refuses a redirect URI outside the allowlist (400) and an unknown provider (404)', async () => {
      const wrong = await t
        .http()
        .get(startUrl('google', 'https://evil.example.com/auth/done').slice(APP.length))
        .expect(400);
      expect(wrong.body.code).toBe('redirect_uri_not_allowed');
      await t
        .http()
        .get(startUrl('google', `${FRONT}/../../evil`).slice(APP.length))
        .expect(400);
      const unknown = await t.http().get(startUrl('gitlab').slice(APP.length)).expect(404);
      expect(unknown.body.code).toBe('not_found');
    });
  });

  describe('a first sign-in', () => {
    it('creates an active user without a password for a verified email, and signs in again as the same user', async () => {
      const { code, browser, end } = await signInWith('google', {
        sub: 'g-ada',
        email: 'Ada@Example.com',
        email_verified: true,
        given_name: 'Ada',
        family_name: 'Lovelace',
      });
      // The front end's URL carries the one-time code and nothing else.
      expect([...new URL(end.url).searchParams.keys()]).toEqual(['code']);
      const res = await exchange(code).expect(200);
      const pair = res.body as Pair;
      expect(res.body.user).toMatchObject({
        email: 'ada@example.com',
        firstName: 'Ada',
        lastName: 'Lovelace',
        status: 'active',
        emailVerified: true,
      });
      // No token in any URL of the whole flow.
      for (const hop of browser.hops)
        for (const url of [hop.url, hop.location ?? ''])
          for (const secret of [pair.accessToken, pair.refreshToken, 'id_token', 'access_token'])
            expect(url).not.toContain(secret);

      const profile = await me(pair);
      expect(profile.hasPassword).toBe(false);
      expect(profile.identities).toEqual([
        expect.objectContaining({ provider: 'google', email: 'ada@example.com' }),
      ]);
      const registered = await auditEntries(t, 'auth.registered');
      expect(
        registered.some((e) => (e.details as { provider?: string })?.provider === 'google'),
      ).toBe(true);

      const again = await signInWith('google', {
        sub: 'g-ada',
        email: 'ada@example.com',
        email_verified: true,
      });
      expect((await exchange(again.code).expect(200)).body.user.id).toBe(pair.user.id);
      expect(await users().countDocuments({ email: 'ada@example.com' })).toBe(1);
    });

    it("leaves out a provider's name that breaks the name rule, and keeps a good one", async () => {
      const { code } = await signInWith('acme', {
        sub: 'acme-bidi',
        email: 'bidi@example.com',
        email_verified: true,
        given_name: 'Mallory\u202egpj.exe',
        family_name: '  Núñez ',
      });
      const res = await exchange(code).expect(200);
      expect(res.body.user.firstName).toBeUndefined();
      expect(res.body.user.lastName).toBe('Núñez');
    });

    it('creates no account when the provider did not verify the email (403)', async () => {
      const { code } = await signInWith('acme', {
        sub: 'acme-nobody',
        email: 'unverified@example.com',
        email_verified: false,
      });
      const res = await exchange(code).expect(403);
      expect(res.body.code).toBe('oauth_email_not_verified');
      expect(await users().countDocuments({ email: 'unverified@example.com' })).toBe(0);
      expect(await identities().countDocuments({ subject: 'acme-nobody' })).toBe(0);
    });

    it('takes over a sign-up still pending for a verified email, dropping its password', async () => {
      await t
        .http()
        .post('/api/v1/auth/register')
        .send({ email: 'squat@example.com', password: PASSWORD, username: 'squatter' })
        .expect(201);
      const { code } = await signInWith('google', {
        sub: 'g-squat',
        email: 'squat@example.com',
        email_verified: true,
      });
      const res = await exchange(code).expect(200);
      expect(res.body.user).toMatchObject({ status: 'active', emailVerified: true });
      expect(res.body.user.username).toBeUndefined();
      await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: 'squat@example.com', password: PASSWORD })
        .expect(401);
    });
  });

  describe('an existing account with the same email', () => {
    it('is linked when the provider verified the email, and the owner is mailed', async () => {
      await signUp(t, 'bob@example.com');
      const local = await signIn(t, 'bob@example.com');
      const before = t.mail.to('bob@example.com').length;
      const { code } = await signInWith('google', {
        sub: 'g-bob',
        email: 'bob@example.com',
        email_verified: true,
      });
      const res = await exchange(code).expect(200);
      expect(res.body.user.id).toBe(local.user.id);
      const mail = await t.mail.waitFor('bob@example.com', /new sign-in method was linked/, {
        after: before,
      });
      expect(mail.text).toContain('Signing in with Google was linked to your account');
      const linked = await auditEntries(t, 'auth.identity.linked');
      const entry = linked.find((e) => e.targetId === local.user.id)!;
      expect(entry.details).toMatchObject({ provider: 'google', via: 'sign_in' });
      expect(JSON.stringify(entry)).not.toContain('bob@example.com');
    });

    it('is never taken over on an unverified email: 409 account_exists_sign_in_to_link, in Spanish too', async () => {
      await signUp(t, 'carol@example.com');
      const { code } = await signInWith('acme', {
        sub: 'acme-carol',
        email: 'carol@example.com',
        email_verified: false,
      });
      const res = await exchange(code, 'es').expect(409);
      expect(res.body).toMatchObject({
        code: 'account_exists_sign_in_to_link',
        title: 'Conflicto',
      });
      expect(res.body.detail).toMatch(/^Ya existe una cuenta con este correo/);
      expect(await identities().countDocuments({ subject: 'acme-carol' })).toBe(0);
    });
  });

  describe('state, nonce and PKCE', () => {
    it('refuses an unknown state, a replayed one and one for another provider with 400', async () => {
      const unknown = await t
        .http()
        .get('/api/v1/auth/oauth/google/callback?state=nope&code=x')
        .expect(400);
      expect(unknown.body.code).toBe('invalid_oauth_state');
      await t.http().get('/api/v1/auth/oauth/google/callback').expect(400);

      const { browser } = await signInWith('google', {
        sub: 'g-dan',
        email: 'dan@example.com',
        email_verified: true,
      });
      const toCallback = browser.hops.find((h) => h.url.startsWith(callback('google')))!;
      const replay = await browser.get(toCallback.url);
      expect(replay.status).toBe(400);

      // A state the app issued for acme, presented at google's callback.
      fake.next = { sub: 'acme-x', email: 'x@example.com', email_verified: true };
      const started = await browser.get(startUrl('acme'));
      const state = new URL(started.location!).searchParams.get('state')!;
      const foreign = await browser.get(`${callback('google')}?state=${state}&code=whatever`);
      expect(foreign.status).toBe(400);
    });

    /** The callback URL the provider sent the browser to, with its `state` swapped for `state`. */
    const withState = (callbackUrl: string, state: string) => {
      const url = new URL(callbackUrl);
      url.searchParams.set('state', state);
      return url.href;
    };
    const stateOf = (url: string) => new URL(url).searchParams.get('state')!;
    /** The answer to a tampered callback: 400 at once, or a code whose exchange is refused. */
    async function refusedAfter(browser: Browser, url: string): Promise<number> {
      const end = await browser.navigate(url, FRONT);
      if (end.status !== 0) return end.status;
      return (await exchange(new URL(end.url).searchParams.get('code')!)).status;
    }

    it('refuses a sign-in whose callback carries the state of another flow, and signs nobody in', async () => {
      fake.next = { sub: 'acme-swap', email: 'swap@example.com', email_verified: true };
      const browser = new Browser(t, APP);
      const toProviderA = await browser.get(startUrl('acme'));
      const toProviderB = await browser.get(startUrl('acme')); // a second flow, same browser
      const other = new Browser(t, APP);
      const toProviderC = await other.get(startUrl('acme')); // a flow of another browser
      for (const state of [stateOf(toProviderC.location!), stateOf(toProviderB.location!)]) {
        // A fresh code for flow A each time (a code is burnt by the exchange it was refused at).
        const atProvider = await browser.get(toProviderA.location!);
        expect(stateOf(atProvider.location!)).toBe(stateOf(toProviderA.location!));
        const status = await refusedAfter(browser, withState(atProvider.location!, state));
        expect([400, 401]).toContain(status);
      }
      expect(await users().countDocuments({ email: 'swap@example.com' })).toBe(0);
      expect(await identities().countDocuments({ subject: 'acme-swap' })).toBe(0);
    });

    it('refuses a link whose callback carries the state of another link flow, and links nothing', async () => {
      await signUp(t, 'swap-link@example.com');
      await signUp(t, 'swap-other@example.com');
      const [pair, otherPair] = await Promise.all([
        signIn(t, 'swap-link@example.com'),
        signIn(t, 'swap-other@example.com'),
      ]);
      const linkStart = (p: Pair) =>
        t
          .http()
          .post('/api/v1/users/me/identities/acme/start')
          .set(bearer(p))
          .send({ redirectUri: FRONT })
          .expect(200)
          .then((r) => r.body.authorizationUrl as string);
      fake.next = { sub: 'acme-swap-link', email: 'swap.link@acme.example' };
      const urlA = await linkStart(pair);
      const urlB = await linkStart(pair); // a second link flow of the same user
      const urlC = await linkStart(otherPair); // another user's link flow
      const browser = new Browser(t, APP);
      for (const state of [stateOf(urlB), stateOf(urlC)]) {
        const atProvider = await browser.get(urlA);
        const status = await refusedAfter(browser, withState(atProvider.location!, state));
        expect([400, 401]).toContain(status);
      }
      expect(await identities().countDocuments({ subject: 'acme-swap-link' })).toBe(0);
      expect((await me(pair)).identities).toEqual([]);
      expect((await me(otherPair)).identities).toEqual([]);
    });

    it('expires the state after 10 minutes', async () => {
      await google.nextLogin({ sub: 'g-late', email: 'late@example.com', email_verified: true });
      const browser = new Browser(t, APP);
      const toProvider = await browser.get(startUrl('google'));
      t.clock.advance(10 * 60_000 + 1000);
      const end = await browser.navigate(toProvider.location!, FRONT);
      expect(end.status).toBe(400);
      expect(await users().countDocuments({ email: 'late@example.com' })).toBe(0);
    });

    it('refuses a callback from a browser that did not start the sign-in, without burning it', async () => {
      fake.next = { sub: 'acme-eve', email: 'eve@example.com', email_verified: true };
      const victim = new Browser(t, APP);
      const toProvider = await victim.get(startUrl('acme'));
      const atProvider = await victim.get(toProvider.location!);
      // The callback URL, opened in another browser (login CSRF): no binding cookie.
      const attacker = new Browser(t, APP);
      expect((await attacker.get(atProvider.location!)).status).toBe(400);
      const end = await victim.navigate(atProvider.location!, FRONT);
      const code = new URL(end.url).searchParams.get('code')!;
      await exchange(code).expect(200);
    });

    it('refuses an ID token whose nonce is not the one sent (401 oauth_failed)', async () => {
      const { code } = await signInWith('acme', {
        sub: 'acme-nonce',
        email: 'nonce@example.com',
        email_verified: true,
        nonce: 'another-nonce',
      });
      expect((await exchange(code).expect(401)).body.code).toBe('oauth_failed');
      expect(await users().countDocuments({ email: 'nonce@example.com' })).toBe(0);
      const failed = await auditEntries(t, 'auth.oauth.failed');
      expect(failed.some((e) => (e.details as { provider?: string }).provider === 'acme')).toBe(
        true,
      );
    });

    it('refuses a forged ID token (signed by a key outside the JWKS) and one for another audience', async () => {
      const forged = await signInWith('acme', {
        sub: 'acme-forged',
        email: 'forged@example.com',
        email_verified: true,
        forgeSignature: true,
      });
      expect((await exchange(forged.code).expect(401)).body.code).toBe('oauth_failed');
      const audience = await signInWith('acme', {
        sub: 'acme-aud',
        email: 'aud@example.com',
        email_verified: true,
        audience: 'someone-else',
      });
      expect((await exchange(audience.code).expect(401)).body.code).toBe('oauth_failed');
      expect(
        await users().countDocuments({ email: { $in: ['forged@example.com', 'aud@example.com'] } }),
      ).toBe(0);
    });

    it('sends the PKCE verifier the provider checks, and a refusal at the provider is 401 at the exchange', async () => {
      const { code } = await signInWith('acme', {
        sub: 'acme-ok',
        email: 'ok@example.com',
        email_verified: true,
      });
      await exchange(code).expect(200); // the fake refuses a wrong or missing verifier
      const browser = new Browser(t, APP);
      const toProvider = await browser.get(startUrl('acme'));
      const state = new URL(toProvider.location!).searchParams.get('state')!;
      const end = await browser.navigate(
        `${callback('acme')}?error=access_denied&state=${state}`,
        FRONT,
      );
      const denied = new URL(end.url).searchParams.get('code')!;
      expect((await exchange(denied).expect(401)).body.code).toBe('oauth_failed');
    });
  });

  describe('the exchange code', () => {
    it('works once, then 400 invalid_oauth_code', async () => {
      const { code } = await signInWith('google', {
        sub: 'g-ada',
        email: 'ada@example.com',
        email_verified: true,
      });
      await exchange(code).expect(200);
      expect((await exchange(code).expect(400)).body.code).toBe('invalid_oauth_code');
    });

    it('expires after 60 seconds', async () => {
      const { code } = await signInWith('google', {
        sub: 'g-ada',
        email: 'ada@example.com',
        email_verified: true,
      });
      t.clock.advance(61_000);
      await exchange(code).expect(400);
    });

    it('of 20 parallel exchanges of one code, exactly one gets tokens', async () => {
      const { code } = await signInWith('google', {
        sub: 'g-ada',
        email: 'ada@example.com',
        email_verified: true,
      });
      const answers = await Promise.all(Array.from({ length: 20 }, () => exchange(code)));
      expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
      expect(answers.filter((r) => r.status === 400)).toHaveLength(19);
    });

    it('never reaches the logs, nor does the state', async () => {
      const { code, browser } = await signInWith('google', {
        sub: 'g-ada',
        email: 'ada@example.com',
        email_verified: true,
      });
      await exchange(code).expect(200);
      const state = new URL(browser.hops[0].location!).searchParams.get('state')!;
      const logs = t.logs.text();
      expect(logs).not.toContain(code);
      expect(logs).not.toContain(state);
      expect(logs).toContain('/auth/oauth/google/callback?state=[redacted]');
    });
  });

  it('asks a TOTP user for the second step', async () => {
    await signUp(t, 'tess@example.com');
    const pair = await signIn(t, 'tess@example.com');
    const codeAt = (secret: string) =>
      generateSync({ secret, epoch: Math.floor(t.clock.now().getTime() / 1000) });
    const { secret } = await enableTotp(t, pair, codeAt);
    const totp = () => codeAt(secret);

    const { code } = await signInWith('google', {
      sub: 'g-tess',
      email: 'tess@example.com',
      email_verified: true,
    });
    const step = await exchange(code).expect(200);
    expect(step.body).toEqual({ mfaRequired: true, mfaToken: expect.any(String), method: 'totp' });
    expect(step.body.accessToken).toBeUndefined();
    t.clock.advance(30_000);
    const done = await t
      .http()
      .post('/api/v1/auth/login/verify')
      .send({ mfaToken: step.body.mfaToken, code: totp() })
      .expect(200);
    expect(done.body.user.email).toBe('tess@example.com');
  });

  describe('Facebook', () => {
    it('signs a new user in through the Graph API (appsecret_proof checked)', async () => {
      const { code } = await signInWith('facebook', {
        sub: '10150000000001',
        email: 'fiona@example.com',
        given_name: 'Fiona',
      });
      const res = await exchange(code).expect(200);
      expect(res.body.user).toMatchObject({ email: 'fiona@example.com', firstName: 'Fiona' });
      expect(fake.requests).toContain('GET /facebook/graph/me');
    });

    it('creates no account without an email', async () => {
      const { code } = await signInWith('facebook', { sub: '10150000000002' });
      expect((await exchange(code).expect(403)).body.code).toBe('oauth_email_not_verified');
    });
  });

  describe('linking and unlinking', () => {
    const linkStart = (pair: Pair, provider: string, redirectUri = FRONT) =>
      t
        .http()
        .post(`/api/v1/users/me/identities/${provider}/start`)
        .set(bearer(pair))
        .send({ redirectUri });

    async function link(pair: Pair, provider: 'acme' | 'google', who: FakeLogin | ProviderAccount) {
      if (provider === 'google') await google.nextLogin(who);
      else fake.next = who;
      const started = await linkStart(pair, provider).expect(200);
      expect(started.headers['set-cookie']).toBeUndefined();
      const end = await new Browser(t, APP).navigate(
        started.body.authorizationUrl as string,
        FRONT,
      );
      return exchange(new URL(end.url).searchParams.get('code')!);
    }

    it('links a provider to the signed-in user, lists it, and mails the owner', async () => {
      await signUp(t, 'lin@example.com');
      const pair = await signIn(t, 'lin@example.com');
      await linkStart(pair, 'acme', 'https://evil.example.com').expect(400);
      await t
        .http()
        .post('/api/v1/users/me/identities/acme/start')
        .send({ redirectUri: FRONT })
        .expect(401);
      expect((await me(pair)).identities).toEqual([]); // now cached: the link must drop it
      const before = t.mail.to('lin@example.com').length;
      const res = await link(pair, 'acme', {
        sub: 'acme-lin',
        email: 'lin.work@acme.example',
        email_verified: false,
      });
      expect(res.status).toBe(200);
      expect(res.body.identity).toMatchObject({ provider: 'acme', email: 'lin.work@acme.example' });
      expect((await me(pair)).identities).toEqual([
        expect.objectContaining({ id: res.body.identity.id }),
      ]);
      await t.mail.waitFor('lin@example.com', /new sign-in method was linked/, { after: before });
      // The linked identity signs in to this account from now on, whatever its email says.
      const { code } = await signInWith('acme', {
        sub: 'acme-lin',
        email: 'lin.work@acme.example',
      });
      expect((await exchange(code).expect(200)).body.user.id).toBe(pair.user.id);
    });

    it('refuses to link a provider account that belongs to someone else (409)', async () => {
      await signUp(t, 'mallory@example.com');
      const pair = await signIn(t, 'mallory@example.com');
      const res = await link(pair, 'google', {
        sub: 'g-ada',
        email: 'ada@example.com',
        email_verified: true,
      });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('identity_linked_elsewhere');
    });

    it('refuses to unlink the only way to sign in, and keeps one when two unlinks race', async () => {
      const first = await signInWith('google', {
        sub: 'g-pat',
        email: 'pat@example.com',
        email_verified: true,
      });
      const pair = (await exchange(first.code).expect(200)).body as Pair;
      const [only] = (await me(pair)).identities as { id: string }[];
      const refused = await t
        .http()
        .delete(`/api/v1/users/me/identities/${only.id}`)
        .set(bearer(pair))
        .expect(409);
      expect(refused.body.code).toBe('last_sign_in_method');

      await link(pair, 'acme', { sub: 'acme-pat' }).then((r) => expect(r.status).toBe(200));
      const ids = ((await me(pair)).identities as { id: string }[]).map((i) => i.id);
      const both = await Promise.all(
        ids.map((id) => t.http().delete(`/api/v1/users/me/identities/${id}`).set(bearer(pair))),
      );
      expect(both.filter((r) => r.status === 204).length).toBeLessThanOrEqual(1);
      expect(both.every((r) => [204, 409].includes(r.status))).toBe(true);
      expect(await identities().countDocuments({ userId: pair.user.id })).toBeGreaterThanOrEqual(1);

      // Another user's identity, or no identity at all: 404.
      const other = await identities().findOne({ subject: 'g-ada' });
      await t
        .http()
        .delete(`/api/v1/users/me/identities/${String(other!._id)}`)
        .set(bearer(pair))
        .expect(404);
      await t.http().delete('/api/v1/users/me/identities/nope').set(bearer(pair)).expect(404);
    });
  });

  describe('an account without a password', () => {
    it('refuses password sign-in (401), change-password and deletion (409 password_not_set); reset-password sets one', async () => {
      const { code } = await signInWith('google', {
        sub: 'g-nopw',
        email: 'nopw@example.com',
        email_verified: true,
      });
      const pair = (await exchange(code).expect(200)).body as Pair;
      const login = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: 'nopw@example.com', password: PASSWORD })
        .expect(401);
      expect(login.body.code).toBe('invalid_credentials');
      const change = await t
        .http()
        .post('/api/v1/auth/change-password')
        .set(bearer(pair))
        .send({ currentPassword: PASSWORD, newPassword: 'a brand new passphrase' })
        .expect(409);
      expect(change.body.code).toBe('password_not_set');
      await t
        .http()
        .delete('/api/v1/users/me')
        .set(bearer(pair))
        .send({ password: PASSWORD })
        .expect(409);
      await t
        .http()
        .post('/api/v1/auth/2fa/totp/setup')
        .set(bearer(pair))
        .send({ password: PASSWORD })
        .expect(409);

      const before = t.mail.to('nopw@example.com').length;
      await t
        .http()
        .post('/api/v1/auth/forgot-password')
        .send({ email: 'nopw@example.com' })
        .expect(202);
      const reset = await t.mail.code('nopw@example.com', /password reset code/, before);
      await t
        .http()
        .post('/api/v1/auth/reset-password')
        .send({ email: 'nopw@example.com', code: reset, newPassword: PASSWORD })
        .expect(200);
      const fresh = await signIn(t, 'nopw@example.com');
      expect((await me(fresh)).hasPassword).toBe(true);

      // Deleting the account takes its identities with it.
      await t
        .http()
        .delete('/api/v1/users/me')
        .set(bearer(fresh))
        .send({ password: PASSWORD })
        .expect(204);
      expect(await identities().countDocuments({ userId: pair.user.id })).toBe(0);
    });
  });
});
