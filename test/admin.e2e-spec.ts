import { upload } from './support/asset-helpers';
import { auditEntries, bearer, Pair } from './support/auth-helpers';
import { png } from './support/files';
import { ADMIN, ADMIN_ENV, eventually, grantRole, login, member } from './support/admin-helpers';
import { createTestApp, TestApp } from './support/test-app';

describe('Admin API', () => {
  let t: TestApp;
  let admin: Pair;

  beforeAll(async () => {
    t = await createTestApp(ADMIN_ENV);
    admin = await login(t, ADMIN.email, ADMIN.password);
  });
  afterAll(() => t.close());

  const as = (pair: Pair) => ({
    get: (path: string) => t.http().get(`/api/v1${path}`).set(bearer(pair)),
    post: (path: string, body: object) =>
      t.http().post(`/api/v1${path}`).set(bearer(pair)).send(body),
    patch: (path: string, body: object) =>
      t.http().patch(`/api/v1${path}`).set(bearer(pair)).send(body),
    delete: (path: string) => t.http().delete(`/api/v1${path}`).set(bearer(pair)),
  });

  describe('custom roles', () => {
    it('a role with users:read lists but cannot change users; granting users:manage works on the same token', async () => {
      await as(admin)
        .post('/admin/roles', { name: 'support', permissions: ['users:read'] })
        .expect(201);
      const sam = await member(t, 'sam@example.com');
      const target = await member(t, 'target@example.com');
      await as(sam).get('/admin/users').expect(403);
      await grantRole(t, admin, sam.user.id, 'support');

      await as(sam).get('/admin/users').expect(200); // no new login
      expect((await as(sam).get('/users/me').expect(200)).body.permissions).toEqual(['users:read']);
      await as(sam)
        .patch(`/admin/users/${target.user.id}/status`, { status: 'disabled' })
        .expect(403);

      await as(admin)
        .patch('/admin/roles/support', { permissions: ['users:read', 'users:manage'] })
        .expect(200);
      await as(sam)
        .patch(`/admin/users/${target.user.id}/status`, { status: 'disabled' })
        .expect(200);
      await as(target).get('/users/me').expect(401); // disabled: sessions ended at once
    });

    it('refuses unknown permissions, bad names and duplicates', async () => {
      await as(admin)
        .post('/admin/roles', { name: 'x1', permissions: ['users:fly'] })
        .expect(400);
      await as(admin).post('/admin/roles', { name: 'Bad Name', permissions: [] }).expect(400);
      await as(admin).post('/admin/roles', { name: 'ops', permissions: 'users:read' }).expect(400);
      await as(admin).post('/admin/roles', { name: 'ops', permissions: [] }).expect(201);
      const dup = await as(admin)
        .post('/admin/roles', { name: 'ops', permissions: [] })
        .expect(409);
      expect(dup.body.code).toBe('role_exists');
      await as(admin).post('/admin/roles', { name: 'admin', permissions: [] }).expect(409);
    });

    it('keeps built-in roles unchangeable and roles in use undeletable', async () => {
      for (const name of ['admin', 'user']) {
        const res = await as(admin).patch(`/admin/roles/${name}`, { permissions: [] }).expect(409);
        expect(res.body.code).toBe('role_built_in');
        await as(admin).delete(`/admin/roles/${name}`).expect(409);
      }
      const inUse = await as(admin).delete('/admin/roles/support').expect(409);
      expect(inUse.body.code).toBe('role_in_use');
      await as(admin).delete('/admin/roles/ops').expect(204);
      await as(admin).delete('/admin/roles/ops').expect(404);
      await as(admin).patch('/admin/roles/nope', { permissions: [] }).expect(404);
      const roles = (await as(admin).get('/admin/roles').expect(200)).body.items;
      expect(roles).toEqual(
        expect.arrayContaining([
          { name: 'user', permissions: [], builtIn: true },
          expect.objectContaining({ name: 'admin', builtIn: true }),
          { name: 'support', permissions: ['users:read', 'users:manage'], builtIn: false },
        ]),
      );
      const [entry] = await auditEntries(t, 'roles.deleted');
      expect(entry).toMatchObject({ actorId: admin.user.id, targetType: 'role', targetId: 'ops' });
    });

    it('refuses a role that does not exist (400)', async () => {
      const res = await as(admin)
        .patch(`/admin/users/${admin.user.id}/role`, { role: 'ghost' })
        .expect(400);
      expect(res.body.code).toBe('unknown_role');
    });
  });

  describe('last admin and self', () => {
    it('nobody disables, demotes or deletes the last active admin, nor themselves', async () => {
      const id = admin.user.id;
      expect(
        (await as(admin).patch(`/admin/users/${id}/role`, { role: 'user' }).expect(403)).body.code,
      ).toBe('own_role'); // the last-admin rule through another caller: least-privilege spec
      expect(
        (await as(admin).patch(`/admin/users/${id}/status`, { status: 'disabled' }).expect(409))
          .body.code,
      ).toBe('own_account');
      expect((await as(admin).delete(`/admin/users/${id}`).expect(409)).body.code).toBe(
        'own_account',
      );
      expect((await as(admin).get('/users/me').expect(200)).body.role).toBe('admin');
    });

    it('of two admins demoting each other at once, exactly one succeeds and one admin stays', async () => {
      const users = () => t.db.collection('users');
      for (let round = 0; round < 15; round++) {
        const second = await member(t, `second${round}@example.com`);
        await grantRole(t, admin, second.user.id, 'admin');
        const demoteSecond = () =>
          as(admin).patch(`/admin/users/${second.user.id}/role`, { role: 'user' });
        const demoteFirst = () =>
          as(second).patch(`/admin/users/${admin.user.id}/role`, { role: 'user' });
        // Each side goes out first in every other round.
        const [a, b] =
          round % 2 === 0
            ? await Promise.all([demoteSecond(), demoteFirst()])
            : (await Promise.all([demoteFirst(), demoteSecond()])).reverse();
        // The loser gets 409 last_admin, or 403 if the winner's demotion applied to it first.
        expect([a.status, b.status].filter((s) => s === 200)).toHaveLength(1);
        expect([a.status, b.status].every((s) => [200, 403, 409].includes(s))).toBe(true);
        expect(await users().countDocuments({ role: 'admin', status: 'active' })).toBe(1);
        // Put things back: the first admin is admin again, the second is gone.
        if ((await users().findOne({ email: ADMIN.email }))?.role !== 'admin')
          await as(second)
            .patch(`/admin/users/${admin.user.id}/role`, { role: 'admin' })
            .expect(200);
        await as(admin).delete(`/admin/users/${second.user.id}`).expect(204);
      }
    });

    it('an admin can demote another, and disabling an admin ends their sessions', async () => {
      const other = await member(t, 'other-admin@example.com');
      await grantRole(t, admin, other.user.id, 'admin');
      const fresh = await login(t, 'other-admin@example.com');
      await as(admin)
        .patch(`/admin/users/${other.user.id}/status`, { status: 'disabled' })
        .expect(200);
      await as(fresh).get('/users/me').expect(401);
      await as(admin)
        .patch(`/admin/users/${other.user.id}/status`, { status: 'active' })
        .expect(200);
      const again = await login(t, 'other-admin@example.com');
      await as(admin).patch(`/admin/users/${other.user.id}/role`, { role: 'user' }).expect(200);
      await as(again).get('/admin/users').expect(403); // the demotion applies to the next request
      const texts = () =>
        t.mail
          .to('other-admin@example.com')
          .map((m) => m.text)
          .join('\n');
      expect(await eventually(texts, (text) => /"admin" to "user"/.test(text))).toMatch(
        /"admin" to "user"/,
      );
      await t.mail.waitFor('other-admin@example.com', /status changed/);
    });
  });

  describe('users', () => {
    it("counts a user's live sessions; a revoked one no longer counts", async () => {
      const kim = await member(t, 'kim@example.com');
      const again = await login(t, 'kim@example.com');
      const count = () => as(admin).get(`/admin/users/${kim.user.id}/sessions`).expect(200);
      expect((await count()).body).toMatchObject({ active: 2 });
      await t.http().post('/api/v1/auth/logout').set(bearer(kim)).expect(204);
      expect((await count()).body).toMatchObject({ active: 1 });
      await as(admin).get('/admin/users/0123456789abcdef01234567/sessions').expect(404);
      await as(again).get(`/admin/users/${kim.user.id}/sessions`).expect(403);
    });

    it('deleting a user kills their access token at once and removes their sessions', async () => {
      const dee = await member(t, 'dee@example.com');
      await as(dee).get('/users/me').expect(200);
      await as(admin).delete(`/admin/users/${dee.user.id}`).expect(204);
      await as(dee).get('/users/me').expect(401);
      await t
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: dee.refreshToken })
        .expect(401);
      await as(admin).get(`/admin/users/${dee.user.id}`).expect(404);
      await as(admin).delete(`/admin/users/${dee.user.id}`).expect(404);
      const entries = await auditEntries(t, 'users.deleted');
      expect(entries).toContainEqual(
        expect.objectContaining({ actorId: admin.user.id, targetId: dee.user.id }),
      );
    });

    it('searches literally: regex characters are text', async () => {
      const names = [
        ['dot@example.com', 'A.b', 'Smith'],
        ['dotless@example.com', 'Axb', 'Smith'],
        ['paren@example.com', '(weird', 'Name'],
      ];
      for (const [email, firstName, lastName] of names) {
        const pair = await member(t, email);
        await as(pair).patch('/users/me', { firstName, lastName }).expect(200);
      }
      const search = async (q: string) =>
        (
          await as(admin)
            .get(`/admin/users?search=${encodeURIComponent(q)}`)
            .expect(200)
        ).body.items.map((u: { email: string }) => u.email);
      expect(await search('a.b')).toEqual(['dot@example.com']);
      expect(await search('.*')).toEqual([]);
      expect(await search('(')).toEqual(['paren@example.com']);
      expect(await search('(WEIRD name')).toEqual(['paren@example.com']);
      expect(await search('SMITH')).toEqual(
        expect.arrayContaining(['dot@example.com', 'dotless@example.com']),
      );
      expect(await search('DOTLESS@')).toEqual(['dotless@example.com']);
      // What admins search for (email addresses, names) stays out of the request log.
      expect(await search('dotless@example.com')).toEqual(['dotless@example.com']);
      expect(t.logs.text()).toContain('"/api/v1/admin/users?search=[redacted]"');
      expect(t.logs.text()).not.toMatch(/search=(?!\[redacted\])|dotless(@|%40)/i);
    });

    it('pages, filters and sorts', async () => {
      const all = (await as(admin).get('/admin/users?limit=100').expect(200)).body;
      expect(all.page).toBe(1);
      expect(all.limit).toBe(100);
      expect(all.total).toBe(all.items.length);
      const created = all.items.map((u: { createdAt: string }) => u.createdAt);
      expect([...created].sort().reverse()).toEqual(created);
      const byEmail = (
        await as(admin).get('/admin/users?sort=email&limit=100').expect(200)
      ).body.items.map((u: { email: string }) => u.email);
      expect(byEmail).toEqual([...byEmail].sort());
      const page2 = (await as(admin).get('/admin/users?sort=email&limit=2&page=2').expect(200))
        .body;
      expect(page2.items.map((u: { email: string }) => u.email)).toEqual(byEmail.slice(2, 4));
      const admins = (await as(admin).get('/admin/users?role=admin').expect(200)).body.items;
      expect(admins.every((u: { role: string }) => u.role === 'admin')).toBe(true);
      const disabled = (await as(admin).get('/admin/users?status=disabled').expect(200)).body.items;
      expect(disabled.every((u: { status: string }) => u.status === 'disabled')).toBe(true);
    });

    it.each([
      'limit=0',
      'limit=101',
      'page=0',
      'page=-1',
      'limit=abc',
      'sort=password',
      'status=gone',
      'role=A%20B',
      'search=a%00b',
      'search=%07',
      'search=a%0Ab',
      'search=%7F',
      'search=%C2%85',
    ])('refuses %s with 400', async (query) => {
      const res = await as(admin).get(`/admin/users?${query}`).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    });
  });

  describe('stats', () => {
    it('counts users by status and role, sign-ups per day (zeros included) and live sessions', async () => {
      const before = (await as(admin).get('/admin/stats').expect(200)).body;
      const stat1 = await member(t, 'stat1@example.com');
      const image = png(4, 3);
      await upload(t, stat1, image, 'pic.png').expect(201);
      await member(t, 'stat2@example.com');
      await t
        .http()
        .post('/api/v1/auth/register')
        .send({ email: 'stat3@example.com', password: 'correct horse battery staple' })
        .expect(201);
      const after = (await as(admin).get('/admin/stats').expect(200)).body;
      expect(after.users.total).toBe(before.users.total + 3);
      expect(after.users.byStatus.active).toBe(before.users.byStatus.active + 2);
      expect(after.users.byStatus.pending).toBe(before.users.byStatus.pending + 1);
      expect(after.users.byRole.user).toBe(before.users.byRole.user + 3);
      expect(after.signupsLast30Days).toHaveLength(30);
      const today = t.clock.now().toISOString().slice(0, 10);
      expect(after.signupsLast30Days[29]).toEqual({
        date: today,
        count: before.signupsLast30Days[29].count + 3,
      });
      expect(after.signupsLast30Days[0].count).toBe(0);
      expect(after.sessions.active).toBe(before.sessions.active + 2);
      expect(after.assets).toEqual({
        total: before.assets.total + 1,
        bytes: before.assets.bytes + image.length,
      });
    });
  });

  describe('audit log', () => {
    it('filters by actor, action, target and time, newest first', async () => {
      const eve = await member(t, 'eve@example.com');
      await as(eve).patch('/users/me', { firstName: 'Eve' }).expect(200);
      // Eve's own entry (earlier tests wrote entries of this action already).
      const eves = async () =>
        (await auditEntries(t, 'users.profile_updated')).filter((e) => e.targetId === eve.user.id);
      await eventually(eves, (entries) => entries.length > 0);
      const page = async (query: string) =>
        (await as(admin).get(`/admin/audit-logs?${query}`).expect(200)).body;
      const mine = await page(`actorId=${eve.user.id}`);
      expect(mine.items.length).toBeGreaterThan(0);
      expect(mine.items.every((e: { actorId: string }) => e.actorId === eve.user.id)).toBe(true);
      const ats = mine.items.map((e: { at: string }) => e.at);
      expect([...ats].sort().reverse()).toEqual(ats);
      const updates = await page(`action=users.profile_updated&targetId=${eve.user.id}`);
      expect(updates.items).toHaveLength(1);
      expect(updates.items[0]).toMatchObject({
        action: 'users.profile_updated',
        outcome: 'success',
      });
      const future = new Date(t.clock.now().getTime() + 3_600_000).toISOString();
      expect((await page(`from=${future}`)).items).toEqual([]);
      expect((await page(`to=${future}&limit=1`)).total).toBeGreaterThan(1);
      expect((await page(`from=${future}&to=2020-01-01T00:00:00Z`)).total).toBe(0);
      // Any RFC 3339 date-time: years 0000-0099, lower-case t and z, offsets, fractions.
      const q = (value: string) => encodeURIComponent(value);
      expect((await page(`from=${q('0000-01-01T00:00:00Z')}`)).total).toBeGreaterThan(1);
      expect((await page(`from=${q('0001-01-01t00:00:00.5z')}`)).total).toBeGreaterThan(1);
      expect((await page(`from=${q('1970-01-01T01:00:00+01:00')}`)).total).toBeGreaterThan(1);
      expect((await page(`to=${q('0099-12-31t23:59:59z')}`)).total).toBe(0);
      for (const bad of [
        'yesterday',
        '2026-02-29T00:00:00Z',
        '2026-01-31T09:30:00',
        '2026-01-31T24:00:00Z',
        '2026-01-31T09:30:00+25:00',
      ])
        await as(admin)
          .get(`/admin/audit-logs?from=${q(bad)}`)
          .expect(400);
      await as(admin).get('/admin/audit-logs?action=$where').expect(400);
    });

    it('never holds an email, password, code or token', async () => {
      const entries = await t.db.collection('audit_logs').find().toArray();
      const text = JSON.stringify(entries);
      expect(text).not.toMatch(/@example\.com/);
      expect(text).not.toMatch(/correct horse|admin password/);
      expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
    });
  });
});
