import type { Connection } from 'mongoose';
import { ADMIN, login, member } from './support/admin-helpers';
import { bearer, PASSWORD } from './support/auth-helpers';
import { AppProcess } from './support/instance/instances';
import { InstancePair } from './support/instance/pair';
import { findRedisServer, TestRedis } from './support/redis-server';
import { SmtpSink } from './support/smtp-sink';

const redisServer = findRedisServer();
if (!redisServer && process.env.CI === 'true')
  throw new Error(
    'CI=true but redis-server was not found (apt-get install redis-server): the multi-instance tests cannot be skipped in CI',
  );
const describeRedis = redisServer ? describe : describe.skip;

/**
 * Two app processes on one database and one Redis, as behind a load balancer: what one instance
 * learns, the other knows at once. Without Redis, the rate-limit, logout, role and disable checks
 * fail (per-instance counters; cached answers for up to 5 s); the lockout and the job leases live
 * in MongoDB and hold either way.
 */
describeRedis('Two instances on one database and one Redis', () => {
  jest.setTimeout(120_000);
  const redis = new TestRedis(redisServer!);
  const mail = new SmtpSink();
  const instances = new InstancePair('instances', mail);
  let a: AppProcess;
  let b: AppProcess;
  let db: Connection;

  beforeAll(async () => {
    const [redisUrl, smtpPort] = await Promise.all([redis.start(), mail.start()]);
    await instances.start({
      REDIS_URL: redisUrl,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      LOCKOUT_THRESHOLD: '3',
      RATE_LIMIT_DEFAULT: '30/1m',
    });
    ({ a, b, db } = instances);
  });

  afterAll(async () => {
    await instances.stop();
    await Promise.all([redis.stop(), mail.stop()]);
  });

  it('counts the general rate limit across both instances', async () => {
    const viaA = a.from('10.13.0.1');
    const viaB = b.from('10.13.0.1');
    const statuses: number[] = [];
    for (let i = 0; i < 15; i += 1) {
      statuses.push((await viaA.http().get('/api/v1/users/me')).status);
      statuses.push((await viaB.http().get('/api/v1/users/me')).status);
    }
    expect(statuses).toEqual(Array(30).fill(401));
    const over = await viaB.http().get('/api/v1/users/me').expect(429);
    expect(over.body.code).toBe('rate_limited');
    // Another client is not affected.
    await b.from('10.13.0.2').http().get('/api/v1/users/me').expect(401);
  });

  it('holds on B a lockout reached through A', async () => {
    const viaA = a.from('10.13.1.1');
    const viaB = b.from('10.13.1.1');
    await member(viaA, 'locked@example.com');
    for (let i = 0; i < 3; i += 1)
      await viaA
        .http()
        .post('/api/v1/auth/login')
        .send({ email: 'locked@example.com', password: 'not the password' })
        .expect(401);
    const locked = await viaB
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'locked@example.com', password: PASSWORD })
      .expect(429);
    expect(locked.body.code).toBe('account_locked');
  });

  it('ends on B, within 100 ms, an access token whose session was logged out on A', async () => {
    const viaA = a.from('10.13.2.1');
    const viaB = b.from('10.13.2.1');
    const pair = await member(viaA, 'leaver@example.com');
    // B has checked the session and cached it as live.
    await viaB.http().get('/api/v1/users/me').set(bearer(pair)).expect(200);
    await viaB.http().get('/api/v1/users/me').set(bearer(pair)).expect(200);

    // The broadcast is published before the logout answers: B's very next request is refused
    // (well within 100 ms; without Redis, B would accept the token for up to 5 s more).
    await viaA.http().post('/api/v1/auth/logout').set(bearer(pair)).expect(204);
    await viaB.http().get('/api/v1/users/me').set(bearer(pair)).expect(401);
  });

  it("applies a role change made on A to the user's next request on B", async () => {
    const viaA = a.from('10.13.3.1');
    const viaB = b.from('10.13.3.1');
    const admin = await login(viaA, ADMIN.email, ADMIN.password);
    const user = await member(viaA, 'promoted@example.com');
    await viaB.http().get('/api/v1/admin/users').set(bearer(user)).expect(403);

    // A custom role: given to the user on A, usable on B at once.
    await viaA
      .http()
      .post('/api/v1/admin/roles')
      .set(bearer(admin))
      .send({ name: 'support', permissions: ['users:read'] })
      .expect(201);
    await viaA
      .http()
      .patch(`/api/v1/admin/users/${user.user.id}/role`)
      .set(bearer(admin))
      .send({ role: 'support' })
      .expect(200);
    await viaB.http().get('/api/v1/admin/users').set(bearer(user)).expect(200);
    const me = await viaB.http().get('/api/v1/users/me').set(bearer(user)).expect(200);
    expect(me.body).toMatchObject({ role: 'support', permissions: ['users:read'] });

    // The role's permissions changed on A: B's role table follows at once.
    await viaA
      .http()
      .patch('/api/v1/admin/roles/support')
      .set(bearer(admin))
      .send({ permissions: ['stats:read'] })
      .expect(200);
    await viaB.http().get('/api/v1/admin/users').set(bearer(user)).expect(403);
    await viaB.http().get('/api/v1/admin/stats').set(bearer(user)).expect(200);
  });

  it('ends on B at once the sessions of a user disabled on A', async () => {
    const viaA = a.from('10.13.4.1');
    const viaB = b.from('10.13.4.1');
    const admin = await login(viaA, ADMIN.email, ADMIN.password);
    const user = await member(viaA, 'disabled@example.com');
    await viaB.http().get('/api/v1/users/me').set(bearer(user)).expect(200);
    await viaA
      .http()
      .patch(`/api/v1/admin/users/${user.user.id}/status`)
      .set(bearer(admin))
      .send({ status: 'disabled' })
      .expect(200);
    await viaB.http().get('/api/v1/users/me').set(bearer(user)).expect(401);
  });

  it('share one signing key, created once at their simultaneous start', async () => {
    expect(await db.collection('signing_keys').countDocuments()).toBe(1);
    const [onA, onB] = await Promise.all(
      [a, b].map(async (x) => (await x.http().get('/.well-known/jwks.json').expect(200)).body),
    );
    expect(onB).toEqual(onA);
    const pair = await login(a.from('10.13.5.1'), ADMIN.email, ADMIN.password);
    await b.from('10.13.5.1').http().get('/api/v1/users/me').set(bearer(pair)).expect(200);
  });

  it('sign and verify on B with a key rotated to on A, at once', async () => {
    const viaA = a.from('10.13.6.1');
    const viaB = b.from('10.13.6.1');
    const before = await login(viaA, ADMIN.email, ADMIN.password);
    const rotated = await viaA
      .http()
      .post('/api/v1/admin/signing-keys/rotate')
      .set(bearer(before))
      .expect(200);
    const kid = (token: string) =>
      (JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()) as { kid: string }).kid;
    // A token A signs with the new key is accepted by B at once (the broadcast, or B's reload
    // for an unknown kid), and so is the one from before the rotation.
    const after = await login(viaA, ADMIN.email, ADMIN.password);
    expect(kid(after.accessToken)).toBe(rotated.body.kid);
    await viaB.http().get('/api/v1/users/me').set(bearer(after)).expect(200);
    await viaB.http().get('/api/v1/users/me').set(bearer(before)).expect(200);
    // And B signs with it too.
    const onB = await login(viaB, ADMIN.email, ADMIN.password);
    expect(kid(onB.accessToken)).toBe(rotated.body.kid);
  });

  it('runs each scheduled job once per tick across the two instances', async () => {
    for (let round = 0; round < 3; round += 1) {
      const [onA, onB] = await Promise.all([a.tick(), b.tick()]);
      const jobs = Object.keys(onA);
      expect(jobs.length).toBeGreaterThanOrEqual(7);
      expect(Object.keys(onB).sort()).toEqual([...jobs].sort());
      for (const job of jobs) expect([onA[job].ran, onB[job].ran].filter(Boolean)).toHaveLength(1);
      // The next period: the leases have run out.
      await db.collection('job_leases').updateMany({}, { $set: { until: new Date(0) } });
    }
  });
});
