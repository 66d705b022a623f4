import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, CDPSession, Page } from 'puppeteer-core';
import puppeteer from 'puppeteer-core';
import { bearer, Pair } from './auth-helpers';
import { TestApp } from './test-app';

const ROOT = resolve(__dirname, '..', '..');

/**
 * Builds the console with Vite (about two seconds), so the browser tests always run the code in
 * the tree, on a clean clone too. NODE_OPTIONS is cleared: Jest's flag means nothing to Vite.
 */
export function buildConsole(): void {
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: join(ROOT, 'admin-console'),
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Debian's Chromium (what `.ci/run` installs), or one named by CHROMIUM_PATH. */
export function findChromium(): string | undefined {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
  ];
  return candidates.find((path): path is string => !!path && existsSync(path));
}

/**
 * The browser specs' `describe`: `describe.skip` (saying so) where no Chromium is installed,
 * except in CI, where a missing Chromium stops the run instead of skipping `what` silently.
 */
export function chromiumOrSkip(what: string): {
  chromium: string | undefined;
  describeBrowser: jest.Describe;
} {
  const chromium = findChromium();
  if (!chromium && process.env.CI === 'true')
    throw new Error(
      `CI=true but no Chromium was found (apt-get install chromium): ${what} cannot be skipped in CI`,
    );
  if (!chromium)
    process.stderr.write(
      `\nSKIPPED: ${what} need Chromium (apt-get install chromium, or set CHROMIUM_PATH)\n`,
    );
  return { chromium, describeBrowser: chromium ? describe : describe.skip };
}

/** Headless Chromium as the sandboxes we run in allow it (no sandbox, no GPU, no /dev/shm). */
export function launchChromium(executablePath: string | undefined): Promise<Browser> {
  return puppeteer.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

/**
 * A platform authenticator for this tab (over the DevTools protocol): internal transport,
 * resident keys, presence given at once; user verification unless `userVerified` is false.
 */
export async function addVirtualAuthenticator(
  page: Page,
  userVerified = true,
): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.createCDPSession();
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: userVerified,
      isUserVerified: userVerified,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

// What the function evaluated in the page touches (the backend's tsconfig has no DOM library).
declare const PublicKeyCredential: { parseCreationOptionsFromJSON(options: unknown): unknown };
declare const navigator: {
  credentials: { create(options: unknown): Promise<{ toJSON(): unknown }> };
};

/**
 * A passkey for the account, made by the page's authenticator and registered at the API (the
 * step-up with `password`), as a front end would relay it.
 */
export async function registerPasskey(
  t: TestApp,
  page: Page,
  pair: Pair,
  { password, name }: { password: string; name: string },
): Promise<void> {
  const options = await t
    .http()
    .post('/api/v1/users/me/passkeys/options')
    .set(bearer(pair))
    .send({ password })
    .expect(200);
  const credential = await page.evaluate(
    async (o) => {
      const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(o);
      return (await navigator.credentials.create({ publicKey })).toJSON();
    },
    options.body as Record<string, unknown>,
  );
  await t
    .http()
    .post('/api/v1/users/me/passkeys')
    .set(bearer(pair))
    .send({ name, credential })
    .expect(201);
}
