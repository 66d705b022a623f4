import { PurgePendingJob } from '../src/users/purge-pending.job';
import { PASSWORD, signUp } from './support/auth-helpers';
import { png } from './support/files';
import { createTestApp, TestApp } from './support/test-app';

const MINUTE = 60_000;
const ENV = { OTP_TTL: '5m', PENDING_ACCOUNT_TTL: '2h' };
const WAIT = 5 * MINUTE + 120 * MINUTE;

const users = (t: TestApp) => t.db.collection('users');
const statusOf = async (t: TestApp, email: string) =>
  (await users(t).findOne({ email }))?.status ?? 'deleted';
const register = (t: TestApp, email: string) =>
  t.http().post('/api/v1/auth/register').send({ email, password: PASSWORD }).expect(201);
/** Created and last changed long ago (Mongoose stamps real time, so this is how a spec ages a row). */
const makeAncient = (t: TestApp, email: string) =>
  users(t).updateOne({ email }, { $set: { createdAt: new Date(0), updatedAt: new Date(0) } });

describe(PurgePendingJob.name, () => {
  describe('as time passes', () => {
    let t: TestApp;
    beforeAll(async () => (t = await createTestApp(ENV)));
    afterAll(() => t.close());

    it('deletes a sign-up never verified once OTP_TTL and PENDING_ACCOUNT_TTL have passed, and only then', async () => {
      await register(t, 'never-verified@example.com');
      await signUp(t, 'verified@example.com');
      const job = t.app.get(PurgePendingJob);

      t.clock.advance(WAIT - MINUTE);
      expect(await job.run()).toBe(0);
      expect(await statusOf(t, 'never-verified@example.com')).toBe('pending');

      t.clock.advance(2 * MINUTE);
      expect(await job.run()).toBe(1);
      expect(await statusOf(t, 'never-verified@example.com')).toBe('deleted');
      expect(await statusOf(t, 'verified@example.com')).toBe('active');

      // The address is free again.
      await register(t, 'never-verified@example.com');
    });

    it('takes the registration avatar of a never-verified sign-up with it (record and file)', async () => {
      const req = t.http().post('/api/v1/auth/register');
      void req.field('email', 'with-avatar@example.com').field('password', PASSWORD);
      await req
        .attach('avatar', png(2, 2), { filename: 'me.png', contentType: 'image/png' })
        .expect(201);
      const user = await users(t).findOne({ email: 'with-avatar@example.com' });
      const assets = t.db.collection('assets');
      const [asset] = await assets.find({ ownerId: user!._id }).toArray();
      expect(asset).toBeDefined();
      const file = (await t.http().get(new URL(String(asset.url), 'http://x').pathname)).status;
      expect(file).toBe(200);

      t.clock.advance(WAIT + MINUTE);
      expect(await t.app.get(PurgePendingJob).run()).toBeGreaterThanOrEqual(1);
      expect(await statusOf(t, 'with-avatar@example.com')).toBe('deleted');
      expect(await assets.countDocuments({ ownerId: user!._id })).toBe(0);
      expect((await t.http().get(new URL(String(asset.url), 'http://x').pathname)).status).toBe(
        404,
      );
    });
  });

  describe('whatever the age', () => {
    let t: TestApp;
    beforeAll(async () => (t = await createTestApp(ENV)));
    afterAll(() => t.close());

    it('never deletes an account that is not pending', async () => {
      await signUp(t, 'old-active@example.com');
      await makeAncient(t, 'old-active@example.com');
      await users(t).insertOne({
        email: 'old-disabled@example.com',
        status: 'disabled',
        role: 'user',
        passwordHash: 'x',
        createdAt: new Date(0),
        updatedAt: new Date(0),
      });
      expect(await t.app.get(PurgePendingJob).run()).toBe(0);
      expect(await statusOf(t, 'old-active@example.com')).toBe('active');
      expect(await statusOf(t, 'old-disabled@example.com')).toBe('disabled');
    });

    it('keeps an old sign-up registered again just now (its new code is live), and deletes one left alone', async () => {
      await register(t, 'again@example.com');
      await register(t, 'left-alone@example.com');
      await makeAncient(t, 'again@example.com');
      await makeAncient(t, 'left-alone@example.com');
      await register(t, 'again@example.com');
      expect(await t.app.get(PurgePendingJob).run()).toBeGreaterThanOrEqual(1);
      expect(await statusOf(t, 'with-avatar@example.com')).toBe('deleted');
      expect(await statusOf(t, 'again@example.com')).toBe('pending');
      expect(await statusOf(t, 'left-alone@example.com')).toBe('deleted');
    });
  });
});
