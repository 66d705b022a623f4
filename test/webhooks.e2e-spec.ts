import { Types } from 'mongoose';
import { Webhook } from 'standardwebhooks';
import { PurgeWebhookDeliveriesJob } from '../src/webhooks/purge-webhook-deliveries.job';
import { ADMIN, ADMIN_ENV, eventually, login, member } from './support/admin-helpers';
import { bearer, Pair } from './support/auth-helpers';
import { createTestApp, TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';
import { WEBHOOK_EVENT_TYPES } from '../src/webhooks/webhook-event-types';

const BASE = '/api/v1/admin/webhooks';

/** Words that never belong in a payload (keys or values of secrets, hashes, codes, tokens). */
const FORBIDDEN = /password|hash|secret|token|otp|"code"/i;

/**
 * Webhooks end to end: a real receiver on loopback, every delivery checked with the reference
 * `standardwebhooks` verifier (not our code), retries on a schedule shortened to milliseconds.
 */
describe('Webhooks', () => {
  jest.setTimeout(60_000);
  let t: TestApp;
  let admin: Pair;
  const receiver = new WebhookReceiver();
  let receiverUrl: string;

  beforeAll(async () => {
    receiverUrl = await receiver.start();
    t = await createTestApp({
      ...ADMIN_ENV,
      WEBHOOK_RETRY_SCHEDULE: '50ms,50ms,50ms',
      WEBHOOK_POLL_INTERVAL: '50ms',
      WEBHOOK_TIMEOUT: '2s',
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    });
    admin = await login(t, ADMIN.email, ADMIN.password);
  });

  afterAll(async () => {
    await t?.close();
    await receiver.stop();
  });

  beforeEach(async () => {
    // Each test starts with no endpoint and a fresh script (and a token: tests move the clock).
    admin = await login(t, ADMIN.email, ADMIN.password);
    const list = await t.http().get(BASE).set(bearer(admin)).expect(200);
    for (const { id } of list.body.items as { id: string }[])
      await t.http().delete(`${BASE}/${id}`).set(bearer(admin)).expect(204);
    receiver.received.length = 0;
    receiver.answers = [];
    receiver.fallback = { status: 200 };
  });

  const create = async (events: string[] = ['*'], url = receiverUrl) =>
    (await t.http().post(BASE).set(bearer(admin)).send({ url, events }).expect(201)).body as {
      id: string;
      secret: string;
      enabled: boolean;
    };
  const deliveries = async (id: string) =>
    (await t.http().get(`${BASE}/${id}/deliveries`).set(bearer(admin)).expect(200)).body.items as {
      id: string;
      state: string;
      attemptCount: number;
      messageId: string;
      attempts: { status?: number }[];
    }[];
  const waitFor = (count: number, timeoutMs = 10_000) =>
    eventually(
      () => receiver.received.length,
      (n) => n >= count,
      timeoutMs,
    );
  const verify = (secret: string, i: number) =>
    new Webhook(secret).verify(receiver.received[i].body, {
      'webhook-id': String(receiver.received[i].headers['webhook-id']),
      'webhook-timestamp': String(receiver.received[i].headers['webhook-timestamp']),
      'webhook-signature': String(receiver.received[i].headers['webhook-signature']),
    });

  describe('managing endpoints', () => {
    it('needs a token and the webhooks:manage permission', async () => {
      await t.http().get(BASE).expect(401);
      await t
        .http()
        .post(BASE)
        .send({ url: receiverUrl, events: ['*'] })
        .expect(401);
      const someone = await member(t, 'plain@example.com');
      await t.http().get(BASE).set(bearer(someone)).expect(403);
      await t
        .http()
        .post(BASE)
        .set(bearer(someone))
        .send({ url: receiverUrl, events: ['*'] })
        .expect(403);
    });

    it('shows the whsec_ secret once, at creation, and audits the change', async () => {
      const created = await create(['user.created']);
      expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      const list = await t.http().get(BASE).set(bearer(admin)).expect(200);
      expect(JSON.stringify(list.body)).not.toContain(created.secret);
      const one = await t.http().get(`${BASE}/${created.id}`).set(bearer(admin)).expect(200);
      expect(one.body).not.toHaveProperty('secret');
      await t.settle();
      const audit = await t
        .http()
        .get('/api/v1/admin/audit-logs?action=webhooks.created')
        .set(bearer(admin))
        .expect(200);
      expect(audit.body.items.length).toBeGreaterThan(0);
      expect(JSON.stringify(audit.body)).not.toContain(created.secret);
    });

    it('refuses unknown event types, empty lists, bad URLs and unknown fields with 400', async () => {
      for (const body of [
        { url: receiverUrl, events: ['user.exploded'] },
        { url: receiverUrl, events: [] },
        { url: 'ftp://127.0.0.1/x', events: ['*'] },
        { url: 'not a url', events: ['*'] },
        { url: receiverUrl, events: ['*'], secret: 'whsec_mine' },
      ])
        await t.http().post(BASE).set(bearer(admin)).send(body).expect(400);
      await t.http().get(`${BASE}/665f1c2e8b3c4a0012345678`).set(bearer(admin)).expect(404);
      await t.http().get(`${BASE}/nope`).set(bearer(admin)).expect(404);
    });

    it('refuses null and bad values in an update with 400 and leaves the endpoint as it was', async () => {
      const { id } = await create(['user.created']);
      const before = (await t.http().get(`${BASE}/${id}`).set(bearer(admin)).expect(200)).body;
      for (const body of [
        { url: null },
        { events: null },
        { enabled: null },
        { description: null },
        { events: [] },
        { events: ['user.exploded'] },
        { url: 'ftp://127.0.0.1/x' },
        { description: 'x'.repeat(201) },
        { secret: 'whsec_mine' },
      ])
        await t.http().patch(`${BASE}/${id}`).set(bearer(admin)).send(body).expect(400);
      const after = await t.http().get(`${BASE}/${id}`).set(bearer(admin)).expect(200);
      expect(after.body).toEqual(before);
    });
  });

  it('delivers every event type, each verified by the reference standardwebhooks verifier', async () => {
    const { secret } = await create(['*']);
    // user.created + user.verified
    const user = await member(t, 'subject@example.com');
    await t
      .http()
      .patch('/api/v1/users/me')
      .set(bearer(user))
      .send({ firstName: 'Ada' })
      .expect(200);
    const admins = (path: string, body: object) =>
      t
        .http()
        .patch(`/api/v1/admin/users/${user.user.id}/${path}`)
        .set(bearer(admin))
        .send(body)
        .expect(200);
    await admins('status', { status: 'disabled' });
    await admins('status', { status: 'active' });
    await admins('role', { role: 'admin' });
    const second = await login(t, 'subject@example.com');
    await login(t, 'subject@example.com');
    const sessions = await t.http().get('/api/v1/sessions').set(bearer(second)).expect(200);
    const other = (sessions.body.items as { id: string; current: boolean }[]).find(
      (s) => !s.current,
    )!;
    await t.http().delete(`/api/v1/sessions/${other.id}`).set(bearer(second)).expect(204);
    await t.http().delete(`/api/v1/admin/users/${user.user.id}`).set(bearer(admin)).expect(204);

    await eventually(
      () => new Set(receiver.events().map((e) => e.type)),
      (types) => WEBHOOK_EVENT_TYPES.every((type) => types.has(type)),
      15_000,
    );
    const types = new Set(receiver.events().map((e) => e.type));
    expect([...types].sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    receiver.received.forEach((_, i) => {
      const verified = verify(secret, i) as { type: string; data: Record<string, unknown> };
      expect(verified.type).toBe(receiver.events()[i].type);
      expect(receiver.received[i].body).not.toMatch(FORBIDDEN);
    });
    const byType = (type: string) => receiver.events().find((e) => e.type === type)!;
    expect(byType('user.created').data).toMatchObject({
      user: { id: user.user.id, email: 'subject@example.com' },
      via: 'sign_up',
    });
    expect(byType('user.updated').data).toMatchObject({ fields: ['firstName'] });
    expect(byType('user.role_changed').data).toMatchObject({
      user: { role: 'admin' },
      previousRole: 'user',
    });
    expect(byType('user.deleted').data).toEqual({ user: { id: user.user.id } });
    expect(byType('session.revoked').data).toEqual({
      session: { id: other.id, userId: user.user.id },
    });
  });

  it('retries with the same webhook-id (500, 500, 200) and marks the delivery delivered', async () => {
    const { id, secret } = await create(['user.updated']);
    receiver.answers = [{ status: 500 }, { status: 500 }, { status: 200 }];
    const user = await member(t, 'retried@example.com');
    await t
      .http()
      .patch('/api/v1/users/me')
      .set(bearer(user))
      .send({ lastName: 'Lovelace' })
      .expect(200);
    await waitFor(3);
    const ids = receiver.received.map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
    for (let i = 0; i < 3; i += 1) verify(secret, i);
    const [delivery] = await eventually(
      () => deliveries(id),
      (items) => items[0]?.state === 'delivered',
    );
    expect(delivery).toMatchObject({ state: 'delivered', attemptCount: 3, messageId: ids[0] });
    expect(delivery.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
  });

  it('gives up after the schedule, and sends again on request with the same webhook-id', async () => {
    const { id } = await create(['user.updated']);
    receiver.fallback = { status: 503 };
    const user = await member(t, 'failing@example.com');
    await t.http().patch('/api/v1/users/me').set(bearer(user)).send({ lastName: 'X' }).expect(200);
    // The first attempt and the three retries of the schedule.
    const [failed] = await eventually(
      () => deliveries(id),
      (items) => items[0]?.state === 'failed',
    );
    expect(failed.attemptCount).toBe(4);
    expect(receiver.received).toHaveLength(4);
    // A day of nothing but failures turns the endpoint off.
    const off = await t.http().get(`${BASE}/${id}`).set(bearer(admin)).expect(200);
    expect(off.body).toMatchObject({ enabled: false, disabledReason: 'failing' });
    // The admin who registered it is mailed.
    await t.settle();
    const mail = await eventually(
      () => t.mail.to(ADMIN.email).filter((m) => /webhook/i.test(m.subject)),
      (found) => found.length > 0,
    );
    expect(mail[0].text).toContain(`127.0.0.1:${receiver.port}`);

    await t.http().patch(`${BASE}/${id}`).set(bearer(admin)).send({ enabled: true }).expect(200);
    receiver.fallback = { status: 204 };
    const again = await t
      .http()
      .post(`${BASE}/${id}/deliveries/${failed.id}/resend`)
      .set(bearer(admin))
      .expect(202);
    expect(again.body.messageId).toBe(failed.messageId);
    await waitFor(5);
    expect(receiver.received[4].headers['webhook-id']).toBe(failed.messageId);
  });

  it('honours Retry-After', async () => {
    const { id } = await create(['user.updated']);
    receiver.answers = [{ status: 429, headers: { 'retry-after': '1' } }];
    const user = await member(t, 'slowdown@example.com');
    await t.http().patch('/api/v1/users/me').set(bearer(user)).send({ lastName: 'Y' }).expect(200);
    await waitFor(2);
    // The schedule says 50 ms; the receiver asked for a second.
    expect(receiver.received[1].at - receiver.received[0].at).toBeGreaterThanOrEqual(950);
    await eventually(
      () => deliveries(id),
      (items) => items[0]?.state === 'delivered',
    );
  });

  it('disables the endpoint on 410 Gone', async () => {
    const { id } = await create(['user.updated']);
    receiver.answers = [{ status: 410 }];
    const user = await member(t, 'gone@example.com');
    await t.http().patch('/api/v1/users/me').set(bearer(user)).send({ lastName: 'Z' }).expect(200);
    const [delivery] = await eventually(
      () => deliveries(id),
      (items) => items[0]?.state === 'failed',
    );
    expect(delivery.attemptCount).toBe(1);
    const endpoint = await t.http().get(`${BASE}/${id}`).set(bearer(admin)).expect(200);
    expect(endpoint.body).toMatchObject({ enabled: false, disabledReason: 'gone' });
    // Nothing more is sent to it.
    await t.http().patch('/api/v1/users/me').set(bearer(user)).send({ lastName: 'W' }).expect(200);
    await t.settle();
    expect(receiver.received).toHaveLength(1);
  });

  it('counts attempts by outcome and reports the backlog on /metrics', async () => {
    const { id } = await create(['user.updated']);
    const user = await member(t, 'counted@example.com');
    await t.http().patch('/api/v1/users/me').set(bearer(user)).send({ lastName: 'C' }).expect(200);
    await eventually(
      () => deliveries(id),
      (items) => items[0]?.state === 'delivered',
    );
    const text = (await t.http().get('/metrics').expect(200)).text;
    const delivered = /^webhook_attempts_total\{outcome="delivered"\} (\d+)/m.exec(text);
    // Every earlier test's deliveries are counted too: at least this one.
    expect(Number(delivered?.[1])).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^webhook_attempts_total\{outcome="gone"\} [1-9]/m);
    expect(text).toMatch(/^webhook_outbox_pending 0$/m);
    expect(text).toMatch(/^webhook_outbox_oldest_age_seconds 0$/m);
  });

  it('signs with both secrets during a rotation overlap: a receiver with either verifies', async () => {
    const { id, secret: oldSecret } = await create(['user.updated']);
    const rotated = await t
      .http()
      .post(`${BASE}/${id}/rotate-secret`)
      .set(bearer(admin))
      .expect(200);
    const newSecret = rotated.body.secret as string;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    const user = await member(t, 'rotation@example.com');
    await t.http().patch('/api/v1/users/me').set(bearer(user)).send({ lastName: 'R' }).expect(200);
    await waitFor(1);
    expect(String(receiver.received[0].headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(() => verify(oldSecret, 0)).not.toThrow();
    expect(() => verify(newSecret, 0)).not.toThrow();
    expect(() => verify(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, 0)).toThrow();

    // After the overlap only the new secret signs.
    t.clock.advance(25 * 60 * 60_000);
    const later = await login(t, 'rotation@example.com');
    await t.http().patch('/api/v1/users/me').set(bearer(later)).send({ lastName: 'S' }).expect(200);
    await waitFor(2);
    expect(String(receiver.received[1].headers['webhook-signature']).split(' ')).toHaveLength(1);
    // The verifier checks the timestamp against its own clock (Date.now): give it the app's.
    const atAppTime = <T>(check: () => T): T => {
      const now = jest.spyOn(Date, 'now').mockReturnValue(t.clock.now().getTime());
      try {
        return check();
      } finally {
        now.mockRestore();
      }
    };
    expect(() => atAppTime(() => verify(newSecret, 1))).not.toThrow();
    expect(() => atAppTime(() => verify(oldSecret, 1))).toThrow('No matching signature found');
  });
  it('purges finished deliveries after 30 days and keeps pending ones', async () => {
    const { id } = await create(['user.updated']);
    const user = await member(t, 'purged@example.com');
    await t.http().patch('/api/v1/users/me').set(bearer(user)).send({ lastName: 'P' }).expect(200);
    await eventually(
      () => deliveries(id),
      (items) => items[0]?.state === 'delivered',
    );
    const outbox = t.db.collection('webhook_deliveries');
    await outbox.insertOne({
      endpointId: new Types.ObjectId(id),
      messageId: 'msg_pending',
      type: 'user.updated',
      body: '{}',
      state: 'pending',
      dueAt: new Date(Date.now() + 365 * 86_400_000),
      attemptCount: 0,
      attempts: [],
      createdAt: new Date(Date.now() - 400 * 86_400_000),
    });
    const job = t.app.get(PurgeWebhookDeliveriesJob);
    expect(await job.run()).toBe(0);
    t.clock.advance(31 * 86_400_000);
    expect(await job.run()).toBeGreaterThanOrEqual(1);
    expect(await outbox.countDocuments({ state: { $ne: 'pending' } })).toBe(0);
    expect(await outbox.countDocuments({ messageId: 'msg_pending' })).toBe(1);
  });
});
