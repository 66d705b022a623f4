import { auditEntries, bearer, Pair } from './support/auth-helpers';
import { ADMIN, ADMIN_ENV, grantRole, login, member } from './support/admin-helpers';
import { createTestApp, TestApp } from './support/test-app';

const DAY_MS = 86_400_000;
const NEW_PASSWORD = 'a fine invited password';

describe('Invitations', () => {
  let t: TestApp;
  let admin: Pair;

  beforeAll(async () => {
    t = await createTestApp({ ...ADMIN_ENV, INVITATION_TTL: '3d' });
    admin = await login(t, ADMIN.email, ADMIN.password);
  });
  afterAll(() => t.close());

  const as = (pair: Pair) => ({
    get: (path: string) => t.http().get(`/api/v1${path}`).set(bearer(pair)),
    post: (path: string, body: object = {}) =>
      t.http().post(`/api/v1${path}`).set(bearer(pair)).send(body),
    delete: (path: string) => t.http().delete(`/api/v1${path}`).set(bearer(pair)),
  });
  const accept = (email: string, code: string, password = NEW_PASSWORD) =>
    t.http().post('/api/v1/auth/accept-invitation').send({ email, code, password });

  /** Invites `email` and returns the account and the code of its mail. */
  async function invite(email: string, body: object = {}, by = admin) {
    const before = t.mail.to(email).length;
    const res = await as(by)
      .post('/admin/users', { email, ...body })
      .expect(201);
    const code = await t.mail.code(email, /invited/, before);
    return { user: res.body as { id: string; status: string; role: string }, code };
  }

  it('mails a code; accepting it sets the password, verifies the email and the user signs in', async () => {
    const { user, code } = await invite('Ivy@Example.com', { firstName: 'Ivy', role: 'user' });
    expect(user).toMatchObject({ email: 'ivy@example.com', status: 'invited', role: 'user' });
    expect(user).toHaveProperty('emailVerified', false);
    const mail = t.mail.to('ivy@example.com').at(-1)!;
    expect(mail.text).toMatch(/expires in 3 days/);

    // Invited: no password yet, so sign-in answers like a wrong password (nothing to probe).
    const refused = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'ivy@example.com', password: NEW_PASSWORD })
      .expect(401);
    expect(refused.body.code).toBe('invalid_credentials');

    const res = await accept('ivy@example.com', code).expect(200);
    expect(res.body.user).toMatchObject({ status: 'active', emailVerified: true });
    const pair = await login(t, 'ivy@example.com', NEW_PASSWORD);
    expect(pair.user.id).toBe(user.id);

    const reused = await accept('ivy@example.com', code, 'another fine password').expect(400);
    expect(reused.body.code).toBe('invalid_otp');
    await login(t, 'ivy@example.com', NEW_PASSWORD); // the reuse changed nothing
    expect((await auditEntries(t, 'users.invited'))[0]).toMatchObject({ targetId: user.id });
    expect((await auditEntries(t, 'users.invitation_accepted'))[0]).toMatchObject({
      actorId: user.id,
    });
  });

  it('the password policy applies on acceptance, and the code stays usable', async () => {
    const { code } = await invite('pol@example.com');
    const weak = await accept('pol@example.com', code, 'short').expect(400);
    expect(weak.body.code).toBe('validation_failed');
    await accept('pol@example.com', code).expect(200);
  });

  it('refuses an expired code alike; a resent invitation works again', async () => {
    const { user, code } = await invite('late@example.com');
    t.clock.advance(3 * DAY_MS + 1000);
    try {
      const expired = await accept('late@example.com', code).expect(400);
      expect(expired.body.code).toBe('invalid_otp');
      const renewed = await login(t, ADMIN.email, ADMIN.password); // the old token expired too
      const before = t.mail.to('late@example.com').length;
      await as(renewed).post(`/admin/users/${user.id}/invitation`).expect(200);
      const fresh = await t.mail.code('late@example.com', /invited/, before);
      await accept('late@example.com', code).expect(400); // the old code is replaced
      await accept('late@example.com', fresh).expect(200);
      const again = await as(renewed).post(`/admin/users/${user.id}/invitation`).expect(409);
      expect(again.body.code).toBe('not_invited');
    } finally {
      t.clock.advance(-(3 * DAY_MS + 1000));
    }
  });

  it('lists pending invitations; a revoked one deletes the account and its code is refused', async () => {
    const { user, code } = await invite('rev@example.com');
    const pending = await as(admin).get('/admin/users/invitations?limit=100').expect(200);
    const emails = (pending.body.items as { email: string; status: string }[]).map((u) => u.email);
    expect(emails).toContain('rev@example.com');
    expect(emails).not.toContain('ivy@example.com'); // accepted
    expect(new Set(pending.body.items.map((u: { status: string }) => u.status))).toEqual(
      new Set(['invited']),
    );
    const filtered = await as(admin).get('/admin/users?status=invited&limit=100').expect(200);
    expect(filtered.body.total).toBe(pending.body.total);
    const stats = await as(admin).get('/admin/stats').expect(200);
    expect(stats.body.users.byStatus.invited).toBe(pending.body.total);

    await as(admin).delete(`/admin/users/${user.id}/invitation`).expect(204);
    const revoked = await accept('rev@example.com', code).expect(400);
    expect(revoked.body.code).toBe('invalid_otp');
    await as(admin).get(`/admin/users/${user.id}`).expect(404);
    await as(admin).delete(`/admin/users/${user.id}/invitation`).expect(404);
    expect(await auditEntries(t, 'users.invitation_revoked')).toHaveLength(1);
  });

  it('answers an unknown address, an active account and a wrong code alike', async () => {
    await member(t, 'active@example.com');
    for (const email of ['nobody@example.com', 'active@example.com']) {
      const res = await accept(email, '123456').expect(400);
      expect(res.body.code).toBe('invalid_otp');
    }
    const { code } = await invite('wrong@example.com');
    const wrong = code === '000000' ? '000001' : '000000';
    expect((await accept('wrong@example.com', wrong).expect(400)).body.code).toBe('invalid_otp');
  });

  it('of parallel acceptances of one code exactly one wins', async () => {
    const { code } = await invite('race@example.com');
    const results = await Promise.all(
      Array.from({ length: 12 }, () => accept('race@example.com', code)),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status !== 200).every((r) => r.status === 400)).toBe(true);
  });

  it('a users:manage admin cannot invite an admin; a taken email or an unknown role is refused', async () => {
    await as(admin)
      .post('/admin/roles', { name: 'manager', permissions: ['users:read', 'users:manage'] })
      .expect(201);
    const manager = await member(t, 'manager@example.com');
    await grantRole(t, admin, manager.user.id, 'manager');

    const escalation = await as(manager)
      .post('/admin/users', { email: 'boss@example.com', role: 'admin' })
      .expect(403);
    expect(escalation.body.code).toBe('permission_escalation');
    await as(admin)
      .get('/admin/users?search=boss@')
      .expect(200)
      .expect(/"total":0/);
    await invite('helper@example.com', { role: 'user' }, manager);

    const taken = await as(admin).post('/admin/users', { email: 'active@example.com' }).expect(409);
    expect(taken.body.code).toBe('email_taken');
    const unknown = await as(admin)
      .post('/admin/users', { email: 'x@example.com', role: 'wizard' })
      .expect(400);
    expect(unknown.body.code).toBe('unknown_role');
    await as(admin).post('/admin/users', { email: 'not an email' }).expect(400);
    await as(admin).post('/admin/users', { email: 'y@example.com', extra: 1 }).expect(400);
  });

  it('needs a token and users:manage', async () => {
    await t.http().post('/api/v1/admin/users').send({ email: 'z@example.com' }).expect(401);
    const plain = await member(t, 'plain@example.com');
    await as(plain).post('/admin/users', { email: 'z@example.com' }).expect(403);
    await as(plain).get('/admin/users/invitations').expect(403);
  });
});
