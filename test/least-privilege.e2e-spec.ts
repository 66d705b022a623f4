import { ADMIN, ADMIN_ENV, grantRole, login, member } from './support/admin-helpers';
import { bearer, Pair } from './support/auth-helpers';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Least privilege (issue 21): no permission can be used to obtain more. A caller grants, to a
 * role or through a role to a user, only permissions they hold, and nobody changes their own role.
 */
describe('Least privilege', () => {
  let t: TestApp;
  let admin: Pair;
  /** users:read + users:manage: gives roles, holds nothing else. */
  let helper: Pair;
  /** roles:manage only. */
  let keeper: Pair;
  let plain: Pair;

  const as = (pair: Pair) => ({
    get: (path: string) => t.http().get(`/api/v1${path}`).set(bearer(pair)),
    post: (path: string, body: object) =>
      t.http().post(`/api/v1${path}`).set(bearer(pair)).send(body),
    patch: (path: string, body: object) =>
      t.http().patch(`/api/v1${path}`).set(bearer(pair)).send(body),
  });
  const roleOf = async (pair: Pair) =>
    (await as(admin).get(`/admin/users/${pair.user.id}`).expect(200)).body.role as string;
  const permissionsOf = async (role: string) =>
    (await as(admin).get('/admin/roles').expect(200)).body.items.find(
      (r: { name: string }) => r.name === role,
    )?.permissions as string[];

  beforeAll(async () => {
    t = await createTestApp(ADMIN_ENV);
    admin = await login(t, ADMIN.email, ADMIN.password);
    const roles = {
      helpdesk: ['users:read', 'users:manage'],
      keeper: ['roles:manage'],
      reader: ['users:read'],
      remover: ['users:read', 'users:delete'],
    };
    for (const [name, permissions] of Object.entries(roles))
      await as(admin).post('/admin/roles', { name, permissions }).expect(201);
    helper = await member(t, 'helper@example.com');
    await grantRole(t, admin, helper.user.id, 'helpdesk');
    keeper = await member(t, 'keeper@example.com');
    await grantRole(t, admin, keeper.user.id, 'keeper');
    plain = await member(t, 'plain@example.com');
  });
  afterAll(() => t.close());

  describe("a user's role", () => {
    it('users:manage alone cannot change its own role, to admin or anything else (403 own_role)', async () => {
      for (const role of ['admin', 'user', 'helpdesk']) {
        const res = await as(helper)
          .patch(`/admin/users/${helper.user.id}/role`, { role })
          .expect(403);
        expect(res.body).toMatchObject({ code: 'own_role', status: 403 });
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      }
      expect(await roleOf(helper)).toBe('helpdesk');
    });

    it('users:manage alone cannot give anyone a role with a permission it lacks (403 permission_escalation)', async () => {
      for (const role of ['admin', 'remover', 'keeper']) {
        const res = await as(helper)
          .patch(`/admin/users/${plain.user.id}/role`, { role })
          .expect(403);
        expect(res.body.code).toBe('permission_escalation');
        expect(res.body.detail).toMatch(/do not hold: [\w:, -]+\.$/);
      }
      expect(await roleOf(plain)).toBe('user');
    });

    it('users:manage gives a role within its own permissions, and takes it back', async () => {
      await as(helper).patch(`/admin/users/${plain.user.id}/role`, { role: 'reader' }).expect(200);
      expect(await roleOf(plain)).toBe('reader');
      await as(helper)
        .patch(`/admin/users/${plain.user.id}/role`, { role: 'helpdesk' })
        .expect(200);
      await as(helper).patch(`/admin/users/${plain.user.id}/role`, { role: 'user' }).expect(200);
      expect(await roleOf(plain)).toBe('user');
    });

    it('an admin grants admin, but not to itself (403 own_role)', async () => {
      const second = await member(t, 'second-admin@example.com');
      await as(admin).patch(`/admin/users/${second.user.id}/role`, { role: 'admin' }).expect(200);
      const own = await as(admin)
        .patch(`/admin/users/${admin.user.id}/role`, { role: 'user' })
        .expect(403);
      expect(own.body.code).toBe('own_role');
      await as(admin).patch(`/admin/users/${second.user.id}/role`, { role: 'user' }).expect(200);
      expect(await roleOf(admin)).toBe('admin');
    });

    it('the last active admin keeps the role even when a users:manage holder takes it (409 last_admin)', async () => {
      const res = await as(helper)
        .patch(`/admin/users/${admin.user.id}/role`, { role: 'user' })
        .expect(409);
      expect(res.body.code).toBe('last_admin');
      expect(await roleOf(admin)).toBe('admin');
    });

    it('an unknown role is still 400, before any other rule', async () => {
      const res = await as(helper)
        .patch(`/admin/users/${helper.user.id}/role`, { role: 'ghost' })
        .expect(400);
      expect(res.body.code).toBe('unknown_role');
    });
  });

  describe('roles', () => {
    it('roles:manage alone cannot give its own role more permissions (403 permission_escalation)', async () => {
      const all = await permissionsOf('admin');
      const res = await as(keeper).patch('/admin/roles/keeper', { permissions: all }).expect(403);
      expect(res.body.code).toBe('permission_escalation');
      await as(keeper)
        .patch('/admin/roles/keeper', { permissions: ['roles:manage', 'users:read'] })
        .expect(403);
      expect(await permissionsOf('keeper')).toEqual(['roles:manage']);
      // Nor through a new role (which it could not hand to anyone anyway).
      const created = await as(keeper)
        .post('/admin/roles', { name: 'everything', permissions: all })
        .expect(403);
      expect(created.body.code).toBe('permission_escalation');
      expect(await permissionsOf('everything')).toBeUndefined();
    });

    it('roles:manage creates roles within its own permissions, and may take away what it lacks', async () => {
      await as(keeper)
        .post('/admin/roles', { name: 'keeper2', permissions: ['roles:manage'] })
        .expect(201);
      await as(keeper).post('/admin/roles', { name: 'nothing', permissions: [] }).expect(201);
      // users:delete stays (already there: not a grant); users:read goes.
      await as(keeper)
        .patch('/admin/roles/remover', { permissions: ['users:delete', 'roles:manage'] })
        .expect(200);
      expect(await permissionsOf('remover')).toEqual(['users:delete', 'roles:manage']);
      const back = await as(keeper)
        .patch('/admin/roles/remover', { permissions: ['users:delete', 'users:read'] })
        .expect(403);
      expect(back.body.code).toBe('permission_escalation');
      expect(back.body.detail).toMatch(/users:read\.$/);
    });

    it('an admin creates and changes roles with any permission', async () => {
      const all = await permissionsOf('admin');
      await as(admin).post('/admin/roles', { name: 'deputy', permissions: all }).expect(201);
      await as(admin).patch('/admin/roles/keeper2', { permissions: all }).expect(200);
      expect(await permissionsOf('keeper2')).toEqual(all);
    });
  });

  it('says why in Spanish too', async () => {
    const res = await as(helper)
      .patch(`/admin/users/${helper.user.id}/role`, { role: 'user' })
      .set('Accept-Language', 'es')
      .expect(403);
    expect(res.body).toMatchObject({ code: 'own_role' });
    expect(res.body.detail).toMatch(/propio rol/);
  });
});
