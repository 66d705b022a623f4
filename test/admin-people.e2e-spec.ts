import { upload } from './support/asset-helpers';
import { auditEntries, bearer, Pair } from './support/auth-helpers';
import { png } from './support/files';
import { ADMIN, ADMIN_ENV, eventually, grantRole, login, member } from './support/admin-helpers';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Issue 27: the admin pages name people. Audit entries embed their actor (and a user target) and
 * assets their owner as `{ id, email, name }`, in one query per page, and only for a caller who
 * may read users: audit:read or assets:read alone still sees ids.
 */
describe('Admin API: people in the audit log and the asset list', () => {
  let t: TestApp;
  let admin: Pair;
  let ada: Pair;

  beforeAll(async () => {
    t = await createTestApp(ADMIN_ENV);
    admin = await login(t, ADMIN.email, ADMIN.password);
    ada = await member(t, 'ada@example.com');
    await t
      .http()
      .patch('/api/v1/users/me')
      .set(bearer(ada))
      .send({ firstName: 'Ada', lastName: 'Lovelace' })
      .expect(200);
    await upload(t, ada, png(8, 8), 'notes.png').expect(201);
  });
  afterAll(() => t.close());

  const get = (pair: Pair, path: string) =>
    t.http().get(`/api/v1${path}`).set(bearer(pair)).expect(200);

  it('embeds the actor and a user target of each audit entry', async () => {
    await t
      .http()
      .patch(`/api/v1/admin/users/${ada.user.id}/metadata`)
      .set(bearer(admin))
      .send({ publicMetadata: { plan: 'pro' } })
      .expect(200);
    await eventually(
      () => auditEntries(t, 'users.metadata_updated'),
      (entries) => entries.length > 0,
    );
    const page = (await get(admin, `/admin/audit-logs?targetId=${ada.user.id}`)).body;
    const byAdmin = page.items.find((e: { actorId?: string }) => e.actorId === admin.user.id);
    expect(byAdmin).toMatchObject({
      actor: { id: admin.user.id, email: ADMIN.email },
      target: { id: ada.user.id, email: 'ada@example.com', name: 'Ada Lovelace' },
    });
    const own = page.items.find((e: { action: string }) => e.action === 'users.profile_updated');
    expect(own.actor).toEqual({ id: ada.user.id, email: 'ada@example.com', name: 'Ada Lovelace' });
  });

  it("embeds each asset's owner", async () => {
    const page = (await get(admin, '/admin/assets')).body;
    expect(page.items[0]).toMatchObject({
      fileName: 'notes.png',
      ownerId: ada.user.id,
      owner: { id: ada.user.id, email: 'ada@example.com', name: 'Ada Lovelace' },
    });
  });

  it('leaves people out for a caller who may not read users', async () => {
    await t
      .http()
      .post('/api/v1/admin/roles')
      .set(bearer(admin))
      .send({ name: 'auditor', permissions: ['audit:read', 'assets:read'] })
      .expect(201);
    const bob = await member(t, 'bob@example.com');
    await grantRole(t, admin, bob.user.id, 'auditor');
    const entries = (await get(bob, `/admin/audit-logs?targetId=${ada.user.id}`)).body.items;
    expect(entries.length).toBeGreaterThan(0);
    expect(JSON.stringify(entries)).not.toContain('@example.com');
    const assets = (await get(bob, '/admin/assets')).body.items;
    expect(assets[0].ownerId).toBe(ada.user.id);
    expect(assets[0].owner).toBeUndefined();
  });

  it('names nobody for an entry whose actor is gone', async () => {
    const gone = await member(t, 'gone@example.com');
    await t
      .http()
      .patch('/api/v1/users/me')
      .set(bearer(gone))
      .send({ firstName: 'Gone' })
      .expect(200);
    await t.http().delete(`/api/v1/admin/users/${gone.user.id}`).set(bearer(admin)).expect(204);
    const entries = await eventually(
      async () => (await get(admin, `/admin/audit-logs?actorId=${gone.user.id}`)).body.items,
      (items: { actor?: unknown }[]) => items.length > 0,
    );
    for (const entry of entries) expect(entry.actor).toBeUndefined();
  });
});
