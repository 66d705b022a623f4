import { TestApp } from './test-app';

export const PASSWORD = 'correct horse battery staple';

/** What the flows below need of an app: requests to it, and the mail it sent (in-process or not). */
export type Client = Pick<TestApp, 'http' | 'mail'>;

export interface Pair {
  accessToken: string;
  refreshToken: string;
  user: { id: string; email: string };
}

/** Registers and verifies an account through the API, reading the code from the SMTP sink. */
export async function signUp(t: Client, email: string, password = PASSWORD): Promise<void> {
  const before = t.mail.to(email).length;
  await t.http().post('/api/v1/auth/register').send({ email, password }).expect(201);
  const code = await t.mail.code(email, /verification code/, before);
  await t.http().post('/api/v1/auth/verify-email').send({ email, code }).expect(200);
}

/** Both login steps through the API. */
export async function signIn(
  t: Client,
  email: string,
  password = PASSWORD,
  ip = '127.0.0.1',
): Promise<Pair> {
  const before = t.mail.to(email).length;
  const step1 = await t
    .http()
    .post('/api/v1/auth/login')
    .set('X-Forwarded-For', ip)
    .send({ email, password })
    .expect(200);
  const code = await t.mail.code(email, /sign-in code/, before);
  const step2 = await t
    .http()
    .post('/api/v1/auth/login/verify')
    .send({ mfaToken: step1.body.mfaToken, code })
    .expect(200);
  return step2.body as Pair;
}

export const bearer = (pair: Pair) => ({ Authorization: `Bearer ${pair.accessToken}` });

/** Sets TOTP up for a signed-in account and turns it on; `codeAt(secret)` is a current code. */
export async function enableTotp(
  t: Client,
  pair: Pair,
  codeAt: (secret: string) => string,
): Promise<{ secret: string; recoveryCodes: string[] }> {
  const setup = await t
    .http()
    .post('/api/v1/auth/2fa/totp/setup')
    .set(bearer(pair))
    .send({ password: PASSWORD })
    .expect(200);
  const secret = setup.body.secret as string;
  const enable = await t
    .http()
    .post('/api/v1/auth/2fa/totp/enable')
    .set(bearer(pair))
    .send({ code: codeAt(secret) })
    .expect(200);
  return { secret, recoveryCodes: enable.body.recoveryCodes as string[] };
}

/** Waits until the audit writer (off the request path) has recorded `action`. */
export async function auditEntries(
  t: TestApp,
  action: string,
  timeoutMs = 3000,
): Promise<Record<string, unknown>[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const entries = await t.db.collection('audit_logs').find({ action }).toArray();
    if (entries.length > 0 || Date.now() > deadline) return entries as Record<string, unknown>[];
    await new Promise((r) => setTimeout(r, 20));
  }
}
