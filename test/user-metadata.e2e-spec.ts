import { auditEntries, bearer, Pair } from './support/auth-helpers';
import { ADMIN, ADMIN_ENV, login, member } from './support/admin-helpers';
import { createTestApp, TestApp } from './support/test-app';

describe('Custom data (metadata)', () => {
  let t: TestApp;
  let admin: Pair;
  let mia: Pair;

  beforeAll(async () => {
    t = await createTestApp(ADMIN_ENV);
    admin = await login(t, ADMIN.email, ADMIN.password);
    mia = await member(t, 'mia@example.com');
  });
  afterAll(() => t.close());

  const as = (pair: Pair) => ({
    get: (path: string) => t.http().get(`/api/v1${path}`).set(bearer(pair)),
    patch: (path: string, body: object) =>
      t.http().patch(`/api/v1${path}`).set(bearer(pair)).send(body),
  });

  it('admins write all three; the user reads public and unsafe, never private; the user writes unsafe only', async () => {
    const set = await as(admin)
      .patch(`/admin/users/${mia.user.id}/metadata`, {
        publicMetadata: { plan: 'pro', limits: { seats: 5 } },
        privateMetadata: { seats: 5, note: 'vip' },
      })
      .expect(200);
    expect(set.body).toMatchObject({
      publicMetadata: { plan: 'pro' },
      privateMetadata: { seats: 5 },
      unsafeMetadata: {},
    });

    const me = await as(mia).get('/users/me').expect(200);
    expect(me.body.publicMetadata).toEqual({ plan: 'pro', limits: { seats: 5 } });
    expect(me.body).not.toHaveProperty('privateMetadata');
    expect(JSON.stringify(me.body)).not.toMatch(/vip/);

    const mine = await as(mia)
      .patch('/users/me/metadata', { unsafeMetadata: { theme: 'dark' } })
      .expect(200);
    expect(mine.body).toMatchObject({
      unsafeMetadata: { theme: 'dark' },
      publicMetadata: { plan: 'pro' },
    });
    expect(mine.body).not.toHaveProperty('privateMetadata');
    await as(mia)
      .patch('/users/me/metadata', { unsafeMetadata: {}, publicMetadata: { plan: 'free' } })
      .expect(400);
    await as(mia)
      .patch('/users/me', { publicMetadata: { plan: 'free' } })
      .expect(400);
    await as(mia).patch(`/admin/users/${mia.user.id}/metadata`, { publicMetadata: {} }).expect(403);

    const seen = await as(admin).get(`/admin/users/${mia.user.id}`).expect(200);
    expect(seen.body).toMatchObject({
      publicMetadata: { plan: 'pro' },
      privateMetadata: { note: 'vip' },
      unsafeMetadata: { theme: 'dark' },
    });
    const entries = await auditEntries(t, 'users.metadata_updated');
    expect(JSON.stringify(entries)).not.toMatch(/vip|dark/);
  });

  it.each([
    ['over 8 KiB', { publicMetadata: { blob: 'x'.repeat(8200) } }],
    ['not an object', { publicMetadata: ['a'] }],
    ['null', { privateMetadata: null }],
    ['a key starting with $', { publicMetadata: { $set: 1 } }],
    ['a nested key with a dot', { privateMetadata: { a: { b: [{ 'c.d': 1 }] } } }],
    ['a nested key starting with $', { publicMetadata: { a: { $where: 'x' } } }],
  ])('refuses %s (400), writing nothing', async (_name, body) => {
    const res = await as(admin).patch(`/admin/users/${mia.user.id}/metadata`, body).expect(400);
    expect(res.body.code).toBe('validation_failed');
    const after = await as(admin).get(`/admin/users/${mia.user.id}`).expect(200);
    expect(after.body.publicMetadata).toEqual({ plan: 'pro', limits: { seats: 5 } });
  });

  it('an admin PATCH with no slot (or no body) writes nothing, audits nothing and answers the user', async () => {
    const before = (await auditEntries(t, 'users.metadata_updated')).length;
    const path = `/api/v1/admin/users/${mia.user.id}/metadata`;
    const empty = await t.http().patch(path).set(bearer(admin)).expect(200);
    expect(empty.body.publicMetadata).toEqual({ plan: 'pro', limits: { seats: 5 } });
    await as(admin).patch(`/admin/users/${mia.user.id}/metadata`, {}).expect(200);
    expect(await auditEntries(t, 'users.metadata_updated')).toHaveLength(before);
  });

  it('admins search on a top-level key; the export carries all three', async () => {
    const other = await member(t, 'otto@example.com');
    await as(admin)
      .patch(`/admin/users/${other.user.id}/metadata`, { publicMetadata: { plan: 'free' } })
      .expect(200);
    const emails = async (query: string) =>
      ((await as(admin).get(`/admin/users?${query}`).expect(200)).body.items as { email: string }[])
        .map((u) => u.email)
        .sort();
    expect(await emails('metadata=public.plan:pro')).toEqual(['mia@example.com']);
    expect(await emails('metadata=public.plan')).toEqual(['mia@example.com', 'otto@example.com']);
    expect(await emails('metadata=private.seats:5')).toEqual(['mia@example.com']);
    expect(await emails('metadata=unsafe.theme:dark')).toEqual(['mia@example.com']);
    expect(await emails('metadata=public.plan:gold')).toEqual([]);
    for (const bad of ['plan:pro', 'secret.plan', 'public.$where', 'public.a.b'])
      await as(admin)
        .get(`/admin/users?metadata=${encodeURIComponent(bad)}`)
        .expect(400);

    const exported = await as(admin)
      .get('/admin/users/export?metadata=public.plan:pro')
      .buffer(true)
      .expect(200);
    const [line] = exported.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(line).toMatchObject({
      email: 'mia@example.com',
      publicMetadata: { plan: 'pro' },
      privateMetadata: { note: 'vip' },
      unsafeMetadata: { theme: 'dark' },
    });
  });

  it('the import takes metadata, with the same rules', async () => {
    const body = [
      { email: 'imp@example.com', publicMetadata: { plan: 'pro' }, privateMetadata: { id: 7 } },
      { email: 'bad@example.com', publicMetadata: { 'a.b': 1 } },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const res = await t
      .http()
      .post('/api/v1/admin/users/import')
      .set(bearer(admin))
      .set('Content-Type', 'application/x-ndjson')
      .send(body)
      .expect(200);
    expect(res.body).toMatchObject({ created: 1, refusedCount: 1 });
    expect(
      await (async () => (await as(admin).get('/admin/users?metadata=private.id:7')).body.total)(),
    ).toBe(1);
  });
});
