import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ADMIN } from './support/admin-helpers';
import { PASSWORD, signIn, signUp } from './support/auth-helpers';
import { freePort, registerClient } from './support/oidc-helpers';
import { createTestApp, TestApp } from './support/test-app';

const ROOT = resolve(__dirname, '..');
/** Made by scripts/authlib-venv.sh (which .ci/run runs). */
const PYTHON = join(ROOT, '.venv-authlib', 'bin', 'python');
const haveAuthlib = existsSync(PYTHON);
if (!haveAuthlib && process.env.CI === 'true')
  throw new Error('CI=true but .venv-authlib is missing: run scripts/authlib-venv.sh');
if (!haveAuthlib)
  process.stderr.write('\nSKIPPED: the authlib relying party needs scripts/authlib-venv.sh\n');
const describePython = haveAuthlib ? describe : describe.skip;

jest.setTimeout(60_000);

interface AuthlibResult {
  header: Record<string, string>;
  id_token: Record<string, unknown>;
  userinfo: Record<string, unknown>;
  token_type: string;
}

/**
 * A second, independent relying party in another language: Python's authlib completes the code
 * flow with PKCE (its own HTTP client playing the browser, the emailed code passed in from the
 * SMTP sink), verifies the ID token against our JWKS with joserfc (authlib's JOSE library), and calls userinfo.
 */
describePython('OpenID provider: a Python relying party (authlib)', () => {
  let t: TestApp;
  let issuer: string;

  beforeAll(async () => {
    const port = await freePort();
    issuer = `http://127.0.0.1:${port}`;
    t = await createTestApp({
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      PUBLIC_URL: issuer,
    });
    await t.app.listen(port, '127.0.0.1');
  });
  afterAll(() => t?.close());

  it('completes the authorization code flow and verifies the ID token', async () => {
    const admin = await signIn(t, ADMIN.email, ADMIN.password);
    const redirectUri = 'http://127.0.0.1:9/python/callback';
    const client = await registerClient(t, admin, {
      name: 'Python app',
      grantTypes: ['authorization_code'],
      redirectUris: [redirectUri],
    });
    const email = 'py@example.com';
    await signUp(t, email);
    const before = t.mail.to(email).length;

    const child = spawn(PYTHON, [join(__dirname, 'support', 'oidc', 'authlib_client.py')], {
      env: {
        ...process.env,
        ISSUER: issuer,
        CLIENT_ID: client.clientId,
        CLIENT_SECRET: client.clientSecret!,
        REDIRECT_URI: redirectUri,
        EMAIL: email,
        PASSWORD,
        NO_PROXY: '127.0.0.1',
        no_proxy: '127.0.0.1',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.on('close', done));
    let result: AuthlibResult | undefined;
    for await (const line of createInterface({ input: child.stdout })) {
      if (line === 'NEED_CODE') {
        child.stdin.write(`${await t.mail.code(email, /sign-in code/, before)}\n`);
      } else if (line.startsWith('{')) result = JSON.parse(line) as AuthlibResult;
    }
    expect({ code: await exited, stderr }).toEqual({ code: 0, stderr: '' });
    expect(result!.header).toMatchObject({ alg: 'ES256' });
    expect(result!.id_token).toMatchObject({ iss: issuer, aud: client.clientId });
    expect(result!.userinfo).toMatchObject({
      sub: result!.id_token.sub,
      email,
      email_verified: true,
    });
    expect(result!.token_type.toLowerCase()).toBe('bearer');
  });
});
