import { Types } from 'mongoose';
import { generateSync } from 'otplib';
import { Webhook } from 'standardwebhooks';
import { FinishDeletionsJob } from '../src/users/finish-deletions.job';
import { SweepWebhookChangesJob } from '../src/webhooks/sweep-webhook-changes.job';
import { WebhookChangeSweeper } from '../src/webhooks/webhook-change-sweeper';
import { ADMIN, ADMIN_ENV, eventually, login, member } from './support/admin-helpers';
import { bearer, enableTotp, Pair } from './support/auth-helpers';
import { createTestApp, TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

const BASE = '/api/v1/admin/webhooks';
const SETTLE_MS = 2_000;

/**
 * Durable delivery: a process that dies between a user's change and its outbox entry leaves
 * exactly what a write straight to the users collection leaves (the change, no event). The
 * sweeper must find it and send the event, once, and never double what the listener sent.
 */
describe('Webhooks: events a crash lost', () => {
  jest.setTimeout(60_000);
  let t: TestApp;
  let admin: Pair;
  let secret: string;
  const receiver = new WebhookReceiver();

  const users = () => t.db.collection('users');
  const sweep = () => t.app.get(SweepWebhookChangesJob).run();
  /** How many users a sweep read (checked against their marks). */
  const read = async (settleMs = SETTLE_MS) =>
    (await t.app.get(WebhookChangeSweeper).sweep(settleMs)).read;
  const watermark = async () =>
    (await t.db.collection('webhook_sweep_state').findOne({}))?.watermark as Date | undefined;
  /** Lets the listener's path finish and every delivery arrive, then moves past the settle delay. */
  const quiet = async () => {
    await t.settle();
    await eventually(
      () => t.db.collection('webhook_deliveries').countDocuments({ state: 'pending' }),
      (n) => n === 0,
    );
    t.clock.advance(SETTLE_MS + 1);
  };
  const about = (userId: string) =>
    receiver.events().filter((e) => (e.data.user as { id?: string } | undefined)?.id === userId);
  const eventsOf = (userId: string, type: string) => about(userId).filter((e) => e.type === type);
  const verifyAll = () =>
    receiver.received.forEach((r) =>
      new Webhook(secret).verify(r.body, {
        'webhook-id': String(r.headers['webhook-id']),
        'webhook-timestamp': String(r.headers['webhook-timestamp']),
        'webhook-signature': String(r.headers['webhook-signature']),
      }),
    );

  beforeAll(async () => {
    const url = await receiver.start();
    t = await createTestApp({
      ...ADMIN_ENV,
      WEBHOOK_POLL_INTERVAL: '50ms',
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      WEBHOOK_SWEEP_SETTLE: '2s',
    });
    admin = await login(t, ADMIN.email, ADMIN.password);
    const created = await t
      .http()
      .post(BASE)
      .set(bearer(admin))
      .send({ url, events: ['*'] })
      .expect(201);
    secret = created.body.secret as string;
    // The bootstrapped admin came with no event: the first sweep announces them (user.created).
    await quiet();
    expect(await sweep()).toBe(1);
    await quiet();
    expect(await sweep()).toBe(0);
  });

  afterAll(async () => {
    await t?.close();
    await receiver.stop();
  });

  it('sends user.updated for a change whose event never reached the outbox, once', async () => {
    const user = await member(t, 'crashed@example.com');
    await quiet();
    expect(await sweep()).toBe(0); // the listener's events are all marked

    // The crash: the change is written (updatedAt with it, on the test's clock), the event never is.
    await users().updateOne(
      { _id: new Types.ObjectId(user.user.id) },
      { $set: { firstName: 'Lost', updatedAt: t.clock.now() } },
    );
    expect(await sweep()).toBe(0); // younger than the settle delay: the listener's turn
    t.clock.advance(SETTLE_MS + 1);
    // Several sweepers at once (the lease bypassed): the key lets one entry through.
    const written = await Promise.all(Array.from({ length: 8 }, () => sweep()));
    expect(written.reduce((a, b) => a + b, 0)).toBe(1);

    await eventually(
      () => eventsOf(user.user.id, 'user.updated').length,
      (n) => n >= 1,
    );
    const [event] = eventsOf(user.user.id, 'user.updated');
    expect(event.data).toMatchObject({ user: { firstName: 'Lost' }, fields: ['firstName'] });
    verifyAll();
    expect(await sweep()).toBe(0);
    await quiet();
    expect(eventsOf(user.user.id, 'user.updated')).toHaveLength(1);
  });

  it('sends user.updated when two-step sign-in is turned on, from the listener, and the sweeper adds none', async () => {
    const user = await member(t, 'totp-on@example.com');
    await quiet();
    const period = 30_000;
    t.clock.advance(period / 2 - (t.clock.now().getTime() % period)); // mid-step
    await enableTotp(t, user, (secret) =>
      generateSync({ secret, epoch: Math.floor(t.clock.now().getTime() / 1000) }),
    );
    // No sweep has run: the event comes from the listener, at once.
    await eventually(
      () => eventsOf(user.user.id, 'user.updated').length,
      (n) => n >= 1,
    );
    expect(eventsOf(user.user.id, 'user.updated')[0].data).toMatchObject({
      user: { twoFactorEnabled: true },
      fields: ['twoFactorEnabled'],
    });
    await quiet();
    expect(await sweep()).toBe(0);
    await quiet();
    expect(eventsOf(user.user.id, 'user.updated')).toHaveLength(1);
  });

  it('sends user.disabled when the lost change disabled the account', async () => {
    const user = await member(t, 'disabled-lost@example.com');
    await quiet();
    await users().updateOne(
      { _id: new Types.ObjectId(user.user.id) },
      { $set: { status: 'disabled', updatedAt: t.clock.now() } },
    );
    t.clock.advance(SETTLE_MS + 1);
    expect(await sweep()).toBe(1);
    await eventually(
      () => eventsOf(user.user.id, 'user.disabled').length,
      (n) => n === 1,
    );
    expect(eventsOf(user.user.id, 'user.updated')).toHaveLength(0);
    verifyAll();
  });

  it('adds nothing to what the listener sent, nor for a sign-in (no visible change)', async () => {
    const user = await member(t, 'normal@example.com');
    await t
      .http()
      .patch('/api/v1/users/me')
      .set(bearer(user))
      .send({ lastName: 'Normal' })
      .expect(200);
    await login(t, 'normal@example.com'); // bumps updatedAt (lastLoginAt)
    await quiet();
    expect(await sweep()).toBe(0);
    await quiet();
    expect(eventsOf(user.user.id, 'user.updated')).toHaveLength(1);
  });

  it('reads only the users written since the last sweep (a watermark that only moves forward)', async () => {
    await quiet();
    await read(); // everything written so far is behind the watermark
    // A sign-in's write (no visible change), stamped on the test's clock as the sweeper reads it.
    await users().updateOne(
      { email: ADMIN.email },
      { $set: { lastLoginAt: t.clock.now(), updatedAt: t.clock.now() } },
    );
    await quiet();
    expect(await read()).toBe(1);
    expect(await read()).toBe(0); // no new change: nothing read again

    // Instances sweeping at once with older bounds (late clocks) cannot move the watermark back.
    t.clock.advance(SETTLE_MS * 10);
    const newest = t.clock.now().getTime() - SETTLE_MS; // the test clock keeps ticking
    const settles = Array.from({ length: 8 }, (_, i) => SETTLE_MS * (i + 1));
    await Promise.all(settles.map((settle) => read(settle)));
    expect((await watermark())?.getTime()).toBeGreaterThanOrEqual(newest);
  });

  it('sends user.deleted once when a deletion stopped after marking the user', async () => {
    const user = await member(t, 'half-deleted@example.com');
    await quiet();
    // The crash mid-deletion: disabled and marked, dependants and the user still there.
    await users().updateOne(
      { _id: new Types.ObjectId(user.user.id) },
      { $set: { status: 'disabled', deletingAt: t.clock.now(), updatedAt: t.clock.now() } },
    );
    t.clock.advance(61_000);
    await t.app.get(FinishDeletionsJob).run();
    await t.app.get(FinishDeletionsJob).run();
    expect(await sweep()).toBe(0); // a user being deleted is the deletion's business
    const deleted = () => about(user.user.id);
    await eventually(
      () => deleted().filter((e) => e.type === 'user.deleted').length,
      (n) => n === 1,
    );
    await quiet();
    expect(deleted().map((e) => e.type)).toEqual(['user.created', 'user.verified', 'user.deleted']);
    verifyAll();
  });
});
