import { auditEntries, bearer, Pair, PASSWORD } from './support/auth-helpers';
import { ADMIN, ADMIN_ENV, grantRole, login, member } from './support/admin-helpers';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Issue 27: what a user's page in the console needs of the admin API. A user's sessions listed
 * and revoked (one or all), profile fields edited, a reset or verification code mailed, linked
 * sign-in providers listed; each change audited with the admin as the actor.
 */
describe('Admin API: a user page', () => {
  let t: TestApp;
  let admin: Pair;
  let reader: Pair;

  beforeAll(async () => {
    t = await createTestApp(ADMIN_ENV);
    admin = await login(t, ADMIN.email, ADMIN.password);
    await t
      .http()
      .post('/api/v1/admin/roles')
      .set(bearer(admin))
      .send({ name: 'reader', permissions: ['users:read'] })
      .expect(201);
    reader = await member(t, 'reader@example.com');
    await grantRole(t, admin, reader.user.id, 'reader');
  });
  afterAll(() => t.close());

  const as = (pair: Pair) => ({
    get: (path: string) => t.http().get(`/api/v1${path}`).set(bearer(pair)),
    post: (path: string) => t.http().post(`/api/v1${path}`).set(bearer(pair)),
    patch: (path: string, body: object) =>
      t.http().patch(`/api/v1${path}`).set(bearer(pair)).send(body),
    delete: (path: string) => t.http().delete(`/api/v1${path}`).set(bearer(pair)),
  });

  describe('sessions', () => {
    it("lists a user's live sessions with agent, IP and dates", async () => {
      const ada = await member(t, 'ada@example.com');
      await t
        .http()
        .post('/api/v1/auth/login')
        .set('User-Agent', 'Firefox on the test')
        .send({ email: 'ada@example.com', password: PASSWORD })
        .expect(200);
      const list = (await as(reader).get(`/admin/users/${ada.user.id}/sessions`).expect(200)).body;
      expect(list.active).toBe(2);
      expect(list.items).toHaveLength(2);
      expect(list.items[0]).toMatchObject({ userAgent: 'Firefox on the test', current: false });
      expect(list.items[0]).toHaveProperty('createdAt');
      expect(list.items[0]).toHaveProperty('lastUsedAt');
      expect(list.items[0]).toHaveProperty('ip');
      expect(JSON.stringify(list)).not.toMatch(/refresh|hash/i);
    });

    it('revokes one session: its access token is refused at once, the others keep working', async () => {
      const bo = await member(t, 'bo@example.com');
      const other = await login(t, 'bo@example.com');
      const sessions = (await as(admin).get(`/admin/users/${bo.user.id}/sessions`).expect(200)).body
        .items as { id: string }[];
      const mine = await as(bo).get('/sessions').expect(200);
      const target = (mine.body.items as { id: string; current: boolean }[]).find(
        (s) => s.current,
      )!;
      expect(sessions.map((s) => s.id)).toContain(target.id);
      await as(reader).delete(`/admin/users/${bo.user.id}/sessions/${target.id}`).expect(403);
      await as(admin).delete(`/admin/users/${bo.user.id}/sessions/${target.id}`).expect(204);
      await as(bo).get('/users/me').expect(401);
      await as(other).get('/users/me').expect(200);
      await t
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: bo.refreshToken })
        .expect(401);
      const entries = await auditEntries(t, 'sessions.revoked_by_admin');
      expect(entries).toContainEqual(
        expect.objectContaining({
          actorId: admin.user.id,
          targetType: 'user',
          targetId: bo.user.id,
          details: { sessionId: target.id },
        }),
      );
    });

    it("does not revoke another user's session through someone else's page (404)", async () => {
      const cy = await member(t, 'cy@example.com');
      const dee = await member(t, 'dee@example.com');
      const cys = (await as(cy).get('/sessions').expect(200)).body.items[0].id;
      await as(admin).delete(`/admin/users/${dee.user.id}/sessions/${cys}`).expect(404);
      await as(cy).get('/users/me').expect(200);
      await as(admin).delete(`/admin/users/${dee.user.id}/sessions/not-an-id`).expect(404);
      await as(admin).get('/admin/users/665f1c2e8b3c4a0012345678/sessions').expect(404);
    });

    it('revokes all sessions of a user', async () => {
      const eli = await member(t, 'eli@example.com');
      const second = await login(t, 'eli@example.com');
      await as(reader).delete(`/admin/users/${eli.user.id}/sessions`).expect(403);
      await as(admin).delete(`/admin/users/${eli.user.id}/sessions`).expect(204);
      await as(eli).get('/users/me').expect(401);
      await as(second).get('/users/me').expect(401);
      expect((await as(admin).get(`/admin/users/${eli.user.id}/sessions`)).body).toEqual({
        active: 0,
        items: [],
      });
      await t.http().delete(`/api/v1/admin/users/${eli.user.id}/sessions`).expect(401);
    });
  });

  describe('profile', () => {
    it("edits a user's profile fields, audited with the admin as actor, the user mailed", async () => {
      const fay = await member(t, 'fay@example.com');
      const before = t.mail.to('fay@example.com').length;
      const res = await as(admin)
        .patch(`/admin/users/${fay.user.id}`, { firstName: 'Fay', phone: '+14155552671' })
        .expect(200);
      expect(res.body).toMatchObject({ firstName: 'Fay', phone: '+14155552671' });
      await t.mail.waitFor('fay@example.com', /./, { after: before });
      const entries = await auditEntries(t, 'users.profile_updated');
      expect(entries).toContainEqual(
        expect.objectContaining({ actorId: admin.user.id, targetId: fay.user.id }),
      );
      await as(reader).patch(`/admin/users/${fay.user.id}`, { firstName: 'X' }).expect(403);
      await as(admin).patch(`/admin/users/${fay.user.id}`, { role: 'admin' }).expect(400);
      await as(admin).patch(`/admin/users/${fay.user.id}`, { phone: '12' }).expect(400);
      await as(admin)
        .patch('/admin/users/665f1c2e8b3c4a0012345678', { firstName: 'X' })
        .expect(404);
      await as(admin).patch(`/admin/users/${fay.user.id}`, { username: 'taken_name' }).expect(200);
      const gus = await member(t, 'gus@example.com');
      const taken = await as(admin)
        .patch(`/admin/users/${gus.user.id}`, { username: 'taken_name' })
        .expect(409);
      expect(taken.body.code).toBe('username_taken');
    });
  });

  describe('mails', () => {
    it('mails an active user a reset code that resets the password', async () => {
      const hal = await member(t, 'hal@example.com');
      const before = t.mail.to('hal@example.com').length;
      await as(reader).post(`/admin/users/${hal.user.id}/password-reset`).expect(403);
      await as(admin).post(`/admin/users/${hal.user.id}/password-reset`).expect(204);
      const code = await t.mail.code('hal@example.com', /password reset code/, before);
      await t
        .http()
        .post('/api/v1/auth/reset-password')
        .send({ email: 'hal@example.com', code, newPassword: 'a brand new passphrase' })
        .expect(200);
      const entries = await auditEntries(t, 'auth.password_reset.requested');
      expect(entries).toContainEqual(
        expect.objectContaining({
          actorId: admin.user.id,
          targetId: hal.user.id,
          details: { by: 'admin' },
        }),
      );
    });

    it('refuses a reset for an account that is not active (409 user_not_active)', async () => {
      const ian = await member(t, 'ian@example.com');
      await as(admin)
        .patch(`/admin/users/${ian.user.id}/status`, { status: 'disabled' })
        .expect(200);
      const before = t.mail.to('ian@example.com').length;
      const res = await as(admin).post(`/admin/users/${ian.user.id}/password-reset`).expect(409);
      expect(res.body.code).toBe('user_not_active');
      const invited = await as(admin)
        .post('/admin/users')
        .send({ email: 'jo@example.com' })
        .expect(201);
      expect(
        (await as(admin).post(`/admin/users/${invited.body.id}/password-reset`).expect(409)).body
          .code,
      ).toBe('user_not_active');
      expect(t.mail.to('ian@example.com').slice(before)).toEqual([]);
    });

    it('mails a pending account a fresh verification code, and refuses a verified one', async () => {
      await t
        .http()
        .post('/api/v1/auth/register')
        .send({ email: 'kim@example.com', password: PASSWORD })
        .expect(201);
      await t.mail.waitFor('kim@example.com', /verification code/);
      const kim = (await as(admin).get('/admin/users?search=kim').expect(200)).body.items[0];
      const before = t.mail.to('kim@example.com').length;
      await as(admin).post(`/admin/users/${kim.id}/verification`).expect(204);
      const code = await t.mail.code('kim@example.com', /verification code/, before);
      await t
        .http()
        .post('/api/v1/auth/verify-email')
        .send({ email: 'kim@example.com', code })
        .expect(200);
      const again = await as(admin).post(`/admin/users/${kim.id}/verification`).expect(409);
      expect(again.body.code).toBe('email_already_verified');
      await as(reader).post(`/admin/users/${kim.id}/verification`).expect(403);
    });
  });

  describe('linked identities', () => {
    it("lists a user's providers, and refuses an admin's own through the admin route", async () => {
      const lu = await member(t, 'lu@example.com');
      expect(
        (await as(reader).get(`/admin/users/${lu.user.id}/identities`).expect(200)).body,
      ).toEqual({ items: [] });
      await as(admin).get('/admin/users/665f1c2e8b3c4a0012345678/identities').expect(404);
      await as(admin)
        .delete(`/admin/users/${lu.user.id}/identities/665f1c2e8b3c4a0012345678`)
        .expect(404);
      const own = await as(admin)
        .delete(`/admin/users/${admin.user.id}/identities/665f1c2e8b3c4a0012345678`)
        .expect(409);
      expect(own.body.code).toBe('own_account');
      await as(reader)
        .delete(`/admin/users/${lu.user.id}/identities/665f1c2e8b3c4a0012345678`)
        .expect(403);
    });
  });
});
