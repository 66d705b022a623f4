import { Types } from 'mongoose';
import { ADMIN, ADMIN_ENV, eventually, login, member } from './support/admin-helpers';
import { bearer, Pair } from './support/auth-helpers';
import { createTestApp, TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

const BASE = '/api/v1/admin/webhooks';

/**
 * The sender's guard with WEBHOOK_ALLOW_PRIVATE_NETWORKS=false (production's default): no http,
 * no loopback, private or link-local address, whether written as an IP or behind a name that
 * resolves to one, neither when the endpoint is saved nor when a delivery is sent.
 */
describe('Webhooks: the sender reaches public addresses only', () => {
  jest.setTimeout(60_000);
  let t: TestApp;
  let admin: Pair;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    await receiver.start();
    t = await createTestApp({
      ...ADMIN_ENV,
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false',
      WEBHOOK_RETRY_SCHEDULE: '50ms',
      WEBHOOK_POLL_INTERVAL: '50ms',
    });
    admin = await login(t, ADMIN.email, ADMIN.password);
  });

  afterAll(async () => {
    await t?.close();
    await receiver.stop();
  });

  it.each([
    ['loopback', 'https://127.0.0.1/hooks'],
    ['loopback (IPv6)', 'https://[::1]/hooks'],
    ['loopback (IPv4-mapped IPv6)', 'https://[::ffff:127.0.0.1]/hooks'],
    ['private', 'https://10.0.0.7/hooks'],
    ['private (192.168)', 'https://192.168.1.20/hooks'],
    ['link-local (cloud metadata)', 'https://169.254.169.254/latest/meta-data'],
    ['a name resolving to 127.0.0.1', 'https://localhost/hooks'],
    ['plain http', 'http://hooks.example.com/in'],
  ])('refuses %s at creation (400 webhook_url_refused)', async (_, url) => {
    const res = await t
      .http()
      .post(BASE)
      .set(bearer(admin))
      .send({ url, events: ['*'] })
      .expect(400);
    expect(res.body.code).toBe('webhook_url_refused');
    expect(res.body.errors[0].field).toBe('url');
  });

  it('refuses the same when the URL is changed', async () => {
    // A name that resolves nowhere is kept (it may resolve later; delivery checks again).
    const created = await t
      .http()
      .post(BASE)
      .set(bearer(admin))
      .send({ url: 'https://hooks.invalid/in', events: ['*'], enabled: false })
      .expect(201);
    const res = await t
      .http()
      .patch(`${BASE}/${created.body.id}`)
      .set(bearer(admin))
      .send({ url: `https://localhost:${receiver.port}/hooks` })
      .expect(400);
    expect(res.body.code).toBe('webhook_url_refused');
  });

  it.each([
    ['a name resolving to 127.0.0.1', () => `https://localhost:${receiver.port}/hooks`],
    ['a loopback address', () => `https://127.0.0.1:${receiver.port}/hooks`],
  ])('refuses %s at delivery, even when the stored URL got past creation', async (_, url) => {
    // An endpoint stored before the rule (or whose name now points inside): written directly.
    const endpoints = t.db.collection('webhook_endpoints');
    const created = await t
      .http()
      .post(BASE)
      .set(bearer(admin))
      .send({ url: 'https://hooks.invalid/in', events: ['user.created'], enabled: false })
      .expect(201);
    const id = new Types.ObjectId(created.body.id as string);
    await endpoints.updateOne({ _id: id }, { $set: { url: url(), enabled: true } });

    await member(t, `ssrf-${Date.now()}@example.com`);
    const deliveries = await eventually(
      async () =>
        (await t.http().get(`${BASE}/${id}/deliveries`).set(bearer(admin)).expect(200)).body
          .items as { attempts: { error?: string }[] }[],
      (items) => (items[0]?.attempts.length ?? 0) >= 1,
      10_000,
    );
    expect(deliveries[0].attempts[0].error).toBe('blocked_address');
    expect(receiver.received).toHaveLength(0);
    await endpoints.updateOne({ _id: id }, { $set: { enabled: false } });
  });
});
