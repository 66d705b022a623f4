import { bearer, Client, Pair, PASSWORD, signUp } from './auth-helpers';

export const ADMIN = { email: 'root@example.com', password: 'admin password of the suite' };

/** The environment of an app where the bootstrapped admin exists and sign-in is one step. */
export const ADMIN_ENV = {
  ADMIN_EMAIL: ADMIN.email,
  ADMIN_PASSWORD: ADMIN.password,
  LOGIN_EMAIL_OTP: 'false',
};

/** The password step alone (LOGIN_EMAIL_OTP=false): a fresh session and token pair. */
export async function login(t: Client, email: string, password = PASSWORD): Promise<Pair> {
  const res = await t.http().post('/api/v1/auth/login').send({ email, password }).expect(200);
  return res.body as Pair;
}

/** A new verified account, signed in. */
export async function member(t: Client, email: string): Promise<Pair> {
  await signUp(t, email);
  return login(t, email);
}

/** Gives `userId` a role through the admin API. */
export async function grantRole(t: Client, admin: Pair, userId: string, role: string) {
  await t
    .http()
    .patch(`/api/v1/admin/users/${userId}/role`)
    .set(bearer(admin))
    .send({ role })
    .expect(200);
}

/** Polls `read` until `accept` holds (for effects that happen after the answer, like mail). */
export async function eventually<T>(
  read: () => T | Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 3000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
}
