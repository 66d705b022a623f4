import type { Browser, Page } from 'puppeteer-core';
import { ADMIN } from './support/admin-helpers';
import { signIn } from './support/auth-helpers';
import {
  addVirtualAuthenticator,
  buildConsole,
  chromiumOrSkip,
  launchChromium,
  registerPasskey,
} from './support/chromium';
import { freePort } from './support/oidc-helpers';
import { createTestApp, TestApp } from './support/test-app';

/**
 * The admin console's passkey sign-in (issue 24) in Chromium with a virtual authenticator:
 * username-less from the login page, and as the second step after the password. The console is
 * served at `localhost` (a relying-party id must be a domain, not 127.0.0.1), which is also
 * PUBLIC_URL, so the relying party and origin come from their defaults.
 */
const { chromium, describeBrowser } = chromiumOrSkip('the console passkey tests');

jest.setTimeout(120_000);

declare const document: { body: { innerText: string } };

describeBrowser('Admin console: passkey sign-in in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    buildConsole();
    const port = await freePort();
    base = `http://localhost:${port}`;
    t = await createTestApp({
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      PUBLIC_URL: base,
    });
    await t.app.listen(port, '127.0.0.1');
    browser = await launchChromium(chromium);
    page = await browser.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (error) => problems.push(String(error)));
    await page.goto(`${base}/admin`);
    await addVirtualAuthenticator(page);
    // The admin's passkey, registered through the API with this tab's authenticator.
    const admin = await signIn(t, ADMIN.email, ADMIN.password);
    await registerPasskey(t, page, admin, { password: ADMIN.password, name: 'Console laptop' });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const click = async (label: string) => {
    const button = await page.waitForSelector(
      `::-p-xpath(//button[normalize-space(.)=${JSON.stringify(label)}])`,
    );
    await button!.click();
  };
  /** A signed-out console: no refresh cookie, the access token (in memory) gone with the reload. */
  async function signedOut() {
    await browser.deleteCookie(...(await browser.cookies()));
    await page.goto(`${base}/admin`);
    await page.waitForSelector('input[name="email"]');
  }

  it('signs in with a passkey alone from the login page', async () => {
    await signedOut();
    const sessions = await t.db.collection('sessions').countDocuments();
    await click('Sign in with a passkey');
    await page.waitForSelector('[data-testid="dashboard"]');
    expect(await t.db.collection('sessions').countDocuments()).toBe(sessions + 1);
    const cookies = await browser.cookies();
    expect(cookies.some((c) => c.name === 'um_refresh' && c.httpOnly)).toBe(true);
    expect(problems).toEqual([]);
  });

  it('asks for the passkey after the password (method "passkey") and signs in with it', async () => {
    await signedOut();
    const mails = t.mail.to(ADMIN.email).length;
    await page.type('input[name="email"]', ADMIN.email);
    await page.type('input[name="password"]', ADMIN.password);
    await click('Sign in');
    await click('Use my passkey');
    await page.waitForSelector('[data-testid="dashboard"]');
    await t.settle();
    // No emailed code: the passkey was the second step.
    expect(
      t.mail
        .to(ADMIN.email)
        .slice(mails)
        .filter((m) => /sign-in code/.test(m.subject)),
    ).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('shows the API’s refusal when the passkey no longer exists', async () => {
    await t.db.collection('passkeys').deleteMany({});
    await signedOut();
    await click('Sign in with a passkey');
    await page.waitForFunction(() =>
      document.body.innerText.includes('This passkey is not registered here.'),
    );
  });
});
