import { createServer, Server } from 'node:http';
import { once } from 'node:events';
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import type { Browser, HTTPResponse, Page } from 'puppeteer-core';
import { ADMIN } from './support/admin-helpers';
import { bearer, Pair, PASSWORD, signIn, signUp } from './support/auth-helpers';
import {
  addVirtualAuthenticator,
  chromiumOrSkip,
  launchChromium,
  registerPasskey,
} from './support/chromium';
import { freePort, registerClient, RegisteredClient, relyingParty } from './support/oidc-helpers';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Passkeys on the OpenID provider's hosted sign-in pages (issue 24), in Chromium with a virtual
 * authenticator: a passwordless account signs in with its passkey alone, and an account whose
 * second step is its passkey finishes there (in Spanish). The issuer is `localhost` (a relying
 * party id must be a domain), so the pages' origin is the relying party's.
 */
const { chromium, describeBrowser } = chromiumOrSkip('the passkey sign-in page tests');

jest.setTimeout(120_000);

declare const document: { body: { innerText: string } };

describeBrowser('OpenID provider: passkeys on the hosted sign-in page', () => {
  let t: TestApp;
  let issuer: string;
  let browser: Browser;
  let page: Page;
  let rp: Server;
  let callback: string;
  let client: RegisteredClient;

  beforeAll(async () => {
    const port = await freePort();
    issuer = `http://localhost:${port}`;
    t = await createTestApp({
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      PUBLIC_URL: issuer,
    });
    await t.app.listen(port, '127.0.0.1');
    rp = createServer((_req, res) => res.end('relying party'));
    rp.listen(0, '127.0.0.1');
    await once(rp, 'listening');
    callback = `http://127.0.0.1:${(rp.address() as { port: number }).port}/callback`;
    const admin = await signIn(t, ADMIN.email, ADMIN.password);
    client = await registerClient(t, admin, {
      grantTypes: ['authorization_code'],
      redirectUris: [callback],
      name: 'Intranet',
      firstParty: true,
    });
    browser = await launchChromium(chromium);
  });
  afterAll(async () => {
    await browser?.close();
    rp?.close();
    await t?.close();
  });

  /** A fresh profile at the hosted page of a new authorization request, with an authenticator. */
  async function start(lang = 'en') {
    if (page) await page.browserContext().close();
    page = await (await browser.createBrowserContext()).newPage();
    page.setDefaultTimeout(30_000);
    await page.setExtraHTTPHeaders({ 'Accept-Language': lang });
    const config = await relyingParty(issuer, client);
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: callback,
      scope: 'openid email',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    await page.goto(url.href);
    await addVirtualAuthenticator(page);
    return { config, verifier, state };
  }

  /** A passkey for the account, made by this page's authenticator and registered at the API. */
  const addPasskey = (pair: Pair) =>
    registerPasskey(t, page, pair, { password: PASSWORD, name: 'Laptop' });

  const bodyText = () => page.evaluate(() => document.body.innerText);
  const press = async (selector: string) => {
    const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
    return response as HTTPResponse;
  };
  const typeIn = async (fields: Record<string, string>) => {
    for (const [name, value] of Object.entries(fields)) await page.type(`#${name}`, value);
  };
  async function amrAtCallback(flow: Awaited<ReturnType<typeof start>>) {
    expect(page.url().startsWith(callback)).toBe(true);
    const tokens = await oidc.authorizationCodeGrant(flow.config, new URL(page.url()), {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      idTokenExpected: true,
    });
    return decodeJwt(tokens.id_token!).amr;
  }

  it('signs a passwordless account in with its passkey alone; its password no longer works', async () => {
    await signUp(t, 'pwless@example.com');
    const pair = await signIn(t, 'pwless@example.com');
    const flow = await start();
    await addPasskey(pair);
    await t
      .http()
      .delete('/api/v1/users/me/password')
      .set(bearer(pair))
      .send({ password: PASSWORD })
      .expect(204);

    await typeIn({ email: 'pwless@example.com', password: PASSWORD });
    const refused = await press('form[action$="/login"] button');
    expect(refused.status()).toBe(401);
    expect(await bodyText()).toContain('The email or password is not correct.');

    // The sign-in page itself runs no script; the passkey page runs ours, by its nonce only.
    const passkeyPage = await press('form[action$="/passkey"] button');
    const csp = passkeyPage.headers()['content-security-policy'];
    expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(await bodyText()).toContain('Use your passkey');
    await press('form[data-passkey-options] button');
    expect(await amrAtCallback(flow)).toEqual(['hwk', 'mfa']);
  });

  it('finishes a sign-in whose second step is the passkey, in Spanish', async () => {
    await signUp(t, 'segundo@example.com');
    const pair = await signIn(t, 'segundo@example.com');
    const flow = await start('es');
    await addPasskey(pair);
    const mails = t.mail.to('segundo@example.com').length;
    await typeIn({ email: 'segundo@example.com', password: PASSWORD });
    await press('form[action$="/login"] button');
    expect(await bodyText()).toContain('Usa tu llave de acceso');
    await press('form[data-passkey-options] button');
    expect(await amrAtCallback(flow)).toEqual(['pwd', 'hwk', 'mfa']);
    await t.settle();
    // No emailed code: the passkey was the second step.
    expect(
      t.mail
        .to('segundo@example.com')
        .slice(mails)
        .filter((m) => /código/.test(m.subject)),
    ).toEqual([]);
  });

  it('goes back to the password when the passkey step no longer holds (the passkey removed)', async () => {
    await signUp(t, 'removed@example.com');
    const pair = await signIn(t, 'removed@example.com');
    await start();
    await addPasskey(pair);
    await typeIn({ email: 'removed@example.com', password: PASSWORD });
    await press('form[action$="/login"] button');
    expect(await bodyText()).toContain('Use your passkey');
    await t.db.collection('passkeys').deleteMany({});
    await press('form[data-passkey-options] button');
    expect(await page.$('#password')).not.toBeNull();
  });

  it('serves the two scripts, and nothing else under its path', async () => {
    const library = await t.http().get('/oidc/assets/simplewebauthn-browser.js').expect(200);
    expect(library.headers['content-type']).toMatch(/javascript/);
    expect(library.text).toContain('SimpleWebAuthnBrowser');
    await t.http().get('/oidc/assets/passkey.js').expect(200);
    await t.http().get('/oidc/assets/package.json').expect(404);
    await t.http().get('/oidc/assets/..%2f..%2fpackage.json').expect(404);
  });
});
