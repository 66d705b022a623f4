import { Types } from 'mongoose';
import { auditEntries, bearer, Pair, PASSWORD } from './support/auth-helpers';
import { ADMIN, ADMIN_ENV, login, member } from './support/admin-helpers';
import { createTestApp, TestApp } from './support/test-app';

describe('/users/me', () => {
  let t: TestApp;
  let ada: Pair;

  beforeAll(async () => {
    t = await createTestApp(ADMIN_ENV);
    ada = await member(t, 'ada@example.com');
  });
  afterAll(() => t.close());

  const me = (pair: Pair) => t.http().get('/api/v1/users/me').set(bearer(pair));
  const patch = (pair: Pair, body: object) =>
    t.http().patch('/api/v1/users/me').set(bearer(pair)).send(body);

  it('answers the caller as the contract shows a user, with their permissions', async () => {
    const res = await me(ada).expect(200);
    expect(res.body).toMatchObject({
      id: ada.user.id,
      email: 'ada@example.com',
      role: 'user',
      status: 'active',
      emailVerified: true,
      twoFactorEnabled: false,
      permissions: [],
    });
    expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|nameKeys|deletingAt/);
    const admin = await login(t, ADMIN.email, ADMIN.password);
    expect((await me(admin).expect(200)).body.permissions).toEqual(
      expect.arrayContaining(['users:read', 'users:manage', 'roles:manage', 'stats:read']),
    );
  });

  it('requires a token', async () => {
    await t.http().get('/api/v1/users/me').expect(401);
    await t.http().patch('/api/v1/users/me').send({ firstName: 'X' }).expect(401);
  });

  it('updates the profile, shows it at once, mails which fields changed (not their values) and audits it', async () => {
    await me(ada).expect(200); // cached now
    const before = t.mail.to('ada@example.com').length;
    const res = await patch(ada, {
      firstName: ' Ada ',
      lastName: 'Lovelace',
      gender: 'female',
      phone: '+1 415 555 2671',
    }).expect(200);
    expect(res.body).toMatchObject({
      firstName: 'Ada',
      lastName: 'Lovelace',
      gender: 'female',
      phone: '+14155552671',
    });
    expect((await me(ada).expect(200)).body).toMatchObject({
      firstName: 'Ada',
      phone: '+14155552671',
    });
    const mail = await t.mail.waitFor('ada@example.com', /profile was updated/, { after: before });
    expect(mail.text).toMatch(/first name, last name, gender, phone number/);
    expect(mail.text).not.toMatch(/Lovelace|4155552671/);
    const [entry] = await auditEntries(t, 'users.profile_updated');
    expect(entry).toMatchObject({ actorId: ada.user.id, targetId: ada.user.id });
    expect(entry.details).toEqual({ fields: ['firstName', 'lastName', 'gender', 'phone'] });
    expect(JSON.stringify(entry)).not.toMatch(/ada@example\.com|Lovelace/);
  });

  it('a refresh after a profile change returns the changed user (the cached copy is dropped)', async () => {
    const pair = await login(t, 'ada@example.com');
    const first = await t
      .http()
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: pair.refreshToken })
      .expect(200);
    await patch(pair, { lastName: 'Byron' }).expect(200);
    const second = await t
      .http()
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: first.body.refreshToken })
      .expect(200);
    expect(second.body.user.lastName).toBe('Byron');
    await patch(pair, { lastName: 'Lovelace' }).expect(200);
  });

  it('clears optional fields with an empty string', async () => {
    const res = await patch(ada, { phone: '', gender: '' }).expect(200);
    expect(res.body.phone).toBeUndefined();
    expect(res.body.gender).toBeUndefined();
    expect(res.body.firstName).toBe('Ada');
  });

  it.each([
    ['a local number', { phone: '555-1234' }],
    ['no plus sign', { phone: '14155552671' }],
    ['an impossible number', { phone: '+1 000 000 0000' }],
    ['a gender outside the list', { gender: 'robot' }],
    ['a null', { firstName: null }],
    ['a NUL in a name', { firstName: 'Ada\u0000' }],
    ['a BEL in a name', { lastName: 'Love\u0007lace' }],
    ['a bidi override in a name', { lastName: '\u202eecalevoL' }],
    ['a bidi isolate in a name', { firstName: 'Ada\u2067' }],
    ['a zero-width-only name', { firstName: '\u200b\ufeff' }],
    ['a lone surrogate in a name', { lastName: '\udc00Lovelace' }],
    ['a role', { role: 'admin' }],
    ['a status', { status: 'active' }],
    ['an email', { email: 'x@example.com' }],
    ['an unknown field', { nickname: 'x' }],
    ['a malformed username', { username: 'a b' }],
  ])('refuses %s with 400', async (_name, body) => {
    await patch(ada, body).expect(400);
    expect((await me(ada)).body.role).toBe('user');
  });

  it('keeps names in any script, and refuses a bad one naming the field', async () => {
    const bob = await member(t, 'names@example.com');
    const ok = await patch(bob, { firstName: ' Łukasz ', lastName: '김민준' }).expect(200);
    expect(ok.body).toMatchObject({ firstName: 'Łukasz', lastName: '김민준' });
    const bad = await patch(bob, { firstName: 'Ł\u202eukasz' }).expect(400);
    expect(bad.body.errors).toEqual([
      { field: 'firstName', message: expect.stringMatching(/must be a name/) },
    ]);
    expect((await me(bob).expect(200)).body.firstName).toBe('Łukasz');
  });

  it.each(['null', '[]', '"x"', '1'])(
    'refuses the JSON body %s (400), which is neither absent nor an object',
    async (body) => {
      await t
        .http()
        .patch('/api/v1/users/me')
        .set(bearer(ada))
        .set('Content-Type', 'application/json')
        .send(body)
        .expect(400);
    },
  );

  it('refuses a username someone else has (409) and accepts a free one', async () => {
    const bob = await member(t, 'bob@example.com');
    await patch(bob, { username: 'bobby' }).expect(200);
    const res = await patch(ada, { username: 'BOBBY' }).expect(409);
    expect(res.body.code).toBe('username_taken');
    await patch(ada, { username: 'ada_l' }).expect(200);
    await login(t, 'ada_l'); // the username signs in
  });

  describe('DELETE', () => {
    it('needs the right password (400, counted like a wrong sign-in password)', async () => {
      const res = await t
        .http()
        .delete('/api/v1/users/me')
        .set(bearer(ada))
        .send({ password: 'not the password' })
        .expect(400);
      expect(res.body.code).toBe('invalid_credentials');
      await t.http().delete('/api/v1/users/me').set(bearer(ada)).send({}).expect(400);
      await me(ada).expect(200);
    });

    it('deletes the account with its sessions and codes; its token dies at once', async () => {
      const carol = await member(t, 'carol@example.com');
      const other = await login(t, 'carol@example.com');
      await me(carol).expect(200); // cached
      await t.http().post('/api/v1/auth/forgot-password').send({ email: 'carol@example.com' });
      await t.settle();
      const id = carol.user.id;
      await t
        .http()
        .delete('/api/v1/users/me')
        .set(bearer(carol))
        .send({ password: PASSWORD })
        .expect(204);
      await me(carol).expect(401);
      await me(other).expect(401);
      await t
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: other.refreshToken })
        .expect(401);
      const _id = new Types.ObjectId(id);
      expect(await t.db.collection('users').countDocuments({ _id })).toBe(0);
      expect(await t.db.collection('sessions').countDocuments({ userId: _id })).toBe(0);
      expect(await t.db.collection('otps').countDocuments({ userId: _id })).toBe(0);
      const counters = await t.db.collection<{ _id: string }>('counters').find().toArray();
      expect(counters.filter((c) => c._id.includes(id))).toEqual([]);
      const [entry] = await auditEntries(t, 'users.deleted');
      expect(entry).toMatchObject({ actorId: id, targetId: id });
      // The address is free again.
      await member(t, 'carol@example.com');
    });

    it('keeps the last active admin (409)', async () => {
      const admin = await login(t, ADMIN.email, ADMIN.password);
      const res = await t
        .http()
        .delete('/api/v1/users/me')
        .set(bearer(admin))
        .send({ password: ADMIN.password })
        .expect(409);
      expect(res.body.code).toBe('last_admin');
      await me(admin).expect(200);
    });
  });
});
