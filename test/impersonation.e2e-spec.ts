import { Types } from 'mongoose';
import { auditEntries, bearer, Pair, PASSWORD } from './support/auth-helpers';
import { ADMIN, ADMIN_ENV, eventually, grantRole, login, member } from './support/admin-helpers';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Issue 27: an admin with users:impersonate acts as a user for support. The token carries
 * `act: { sub: <admin> }` (RFC 8693) on a session marked as impersonated, lives one access-token
 * lifetime and is never refreshed; every request is audited as the admin acting as the user; the
 * user is mailed; nobody acts as a user who holds a permission; owner-only changes are refused.
 */
describe('Impersonation', () => {
  let t: TestApp;
  let admin: Pair;
  let ada: Pair;

  beforeAll(async () => {
    t = await createTestApp(ADMIN_ENV);
    admin = await login(t, ADMIN.email, ADMIN.password);
    ada = await member(t, 'ada@example.com');
  });
  afterAll(() => t.close());

  const claims = (jwt: string) =>
    JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
  const start = (who: Pair, userId: string) =>
    t.http().post(`/api/v1/admin/users/${userId}/impersonate`).set(bearer(who));
  const as = (accessToken: string) => ({ Authorization: `Bearer ${accessToken}` });

  it('acts as the user with act.sub the admin, audits each request naming both, and mails the user', async () => {
    const before = t.mail.to('ada@example.com').length;
    const res = await start(admin, ada.user.id).expect(200);
    expect(res.body).toMatchObject({
      tokenType: 'Bearer',
      user: { id: ada.user.id },
      impersonatorId: admin.user.id,
    });
    expect(res.body.refreshToken).toBeUndefined();
    const token = res.body.accessToken as string;
    expect(claims(token)).toMatchObject({ sub: ada.user.id, act: { sub: admin.user.id } });
    expect(claims(admin.accessToken).act).toBeUndefined();

    const me = await t.http().get('/api/v1/users/me').set(as(token)).expect(200);
    expect(me.body.email).toBe('ada@example.com');
    await t.mail.waitFor('ada@example.com', /administrator signed in as you/, { after: before });

    const requests = await eventually(
      () => auditEntries(t, 'auth.impersonation.request'),
      (entries) =>
        entries.some((e) => (e.details as { route?: string }).route === '/api/v1/users/me'),
    );
    expect(requests).toContainEqual(
      expect.objectContaining({
        actorId: admin.user.id,
        targetType: 'user',
        targetId: ada.user.id,
        outcome: 'success',
        details: expect.objectContaining({ method: 'GET', route: '/api/v1/users/me' }),
      }),
    );
    const started = await auditEntries(t, 'auth.impersonation.started');
    expect(started[0]).toMatchObject({ actorId: admin.user.id, targetId: ada.user.id });
    // The user's own request is not an impersonated one.
    const count = (await auditEntries(t, 'auth.impersonation.request')).length;
    await t.http().get('/api/v1/users/me').set(bearer(ada)).expect(200);
    await t.http().get('/api/v1/users/me').set(as(token)).expect(200);
    await eventually(
      () => auditEntries(t, 'auth.impersonation.request'),
      (entries) => entries.length === count + 1,
    );
    expect((await auditEntries(t, 'auth.impersonation.request')).length).toBe(count + 1);
  });

  it('marks the session, which the user sees and can end', async () => {
    const { accessToken } = (await start(admin, ada.user.id).expect(200)).body;
    const sid = claims(accessToken).sid as string;
    const stored = await t.db.collection('sessions').findOne({ _id: new Types.ObjectId(sid) });
    expect(String(stored?.impersonatorId)).toBe(admin.user.id);
    const mine = (await t.http().get('/api/v1/sessions').set(bearer(ada)).expect(200)).body.items;
    expect(mine.find((s: { id: string }) => s.id === sid)).toMatchObject({ impersonated: true });
    expect(mine.find((s: { current: boolean }) => s.current).impersonated).toBeUndefined();
    await t.http().delete(`/api/v1/sessions/${sid}`).set(bearer(ada)).expect(204);
    await t.http().get('/api/v1/users/me').set(as(accessToken)).expect(401);
  });

  it('refuses password, two-factor, passkey, provider and account changes while acting as the user', async () => {
    const { accessToken } = (await start(admin, ada.user.id).expect(200)).body;
    const refused = [
      t
        .http()
        .post('/api/v1/auth/change-password')
        .send({ currentPassword: PASSWORD, newPassword: 'another long passphrase' }),
      t.http().post('/api/v1/auth/2fa/totp/setup').send({ password: PASSWORD }),
      t.http().post('/api/v1/users/me/passkeys/options').send({}),
      t.http().delete('/api/v1/users/me/password').send({ password: PASSWORD }),
      t.http().delete('/api/v1/users/me').send({ password: PASSWORD }),
      t
        .http()
        .post('/api/v1/users/me/identities/google/start')
        .send({ redirectUri: 'http://localhost/cb' }),
    ];
    for (const request of refused) {
      const res = await request.set(as(accessToken));
      expect({ status: res.status, code: res.body.code }).toEqual({
        status: 403,
        code: 'impersonation_restricted',
      });
    }
    // The owner still can: the rule is about the token, not the account.
    await t
      .http()
      .post('/api/v1/auth/2fa/totp/setup')
      .set(bearer(ada))
      .send({ password: PASSWORD })
      .expect(200);
    const failures = await eventually(
      () => auditEntries(t, 'auth.impersonation.request'),
      (entries) => entries.filter((e) => e.outcome === 'failure').length >= refused.length,
    );
    expect(failures.filter((e) => e.outcome === 'failure').length).toBeGreaterThanOrEqual(
      refused.length,
    );
    // The profile is support's to fix.
    await t
      .http()
      .patch('/api/v1/users/me')
      .set(as(accessToken))
      .send({ firstName: 'Ada' })
      .expect(200);
  });

  it('acts as nobody who holds a permission, nor as oneself, nor as a disabled account', async () => {
    const bob = await member(t, 'bob@example.com');
    await t
      .http()
      .post('/api/v1/admin/roles')
      .set(bearer(admin))
      .send({ name: 'reader', permissions: ['users:read'] })
      .expect(201);
    await grantRole(t, admin, bob.user.id, 'reader');
    expect((await start(admin, bob.user.id).expect(403)).body.code).toBe('impersonation_forbidden');
    const second = await member(t, 'second-admin@example.com');
    await grantRole(t, admin, second.user.id, 'admin');
    expect((await start(admin, second.user.id).expect(403)).body.code).toBe(
      'impersonation_forbidden',
    );
    expect((await start(admin, admin.user.id).expect(409)).body.code).toBe('own_account');
    const cy = await member(t, 'cy@example.com');
    await t
      .http()
      .patch(`/api/v1/admin/users/${cy.user.id}/status`)
      .set(bearer(admin))
      .send({ status: 'disabled' })
      .expect(200);
    expect((await start(admin, cy.user.id).expect(409)).body.code).toBe('user_not_active');
    await start(admin, '665f1c2e8b3c4a0012345678').expect(404);
  });

  it('needs users:impersonate: users:manage alone is not enough', async () => {
    await t
      .http()
      .post('/api/v1/admin/roles')
      .set(bearer(admin))
      .send({ name: 'helpdesk', permissions: ['users:read', 'users:manage'] })
      .expect(201);
    const dee = await member(t, 'dee@example.com');
    await grantRole(t, admin, dee.user.id, 'helpdesk');
    await start(dee, ada.user.id).expect(403);
    await t.http().post(`/api/v1/admin/users/${ada.user.id}/impersonate`).expect(401);
  });

  it('stops: the token ends at once without touching the admin, and it never outlives its lifetime', async () => {
    const { accessToken } = (await start(admin, ada.user.id).expect(200)).body;
    await t.http().post('/api/v1/auth/impersonation/stop').set(bearer(admin)).expect(409);
    await t.http().post('/api/v1/auth/impersonation/stop').set(as(accessToken)).expect(204);
    await t.http().get('/api/v1/users/me').set(as(accessToken)).expect(401);
    await t.http().get('/api/v1/users/me').set(bearer(admin)).expect(200);
    const ended = await auditEntries(t, 'auth.impersonation.ended');
    expect(ended[0]).toMatchObject({ actorId: admin.user.id, targetId: ada.user.id });

    const later = (await start(admin, ada.user.id).expect(200)).body;
    t.clock.advance(later.expiresIn * 1000 + 1000);
    await t.http().get('/api/v1/users/me').set(as(later.accessToken)).expect(401);
  });
});
