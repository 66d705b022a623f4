import type { Connection } from 'mongoose';
import { ADMIN, eventually, login, member } from './support/admin-helpers';
import { bearer } from './support/auth-helpers';
import { AppProcess } from './support/instance/instances';
import { InstancePair } from './support/instance/pair';
import { SmtpSink } from './support/smtp-sink';
import { WebhookReceiver } from './support/webhook-receiver';

const EVENTS = 12;

/**
 * Two app processes on one database delivering one outbox to a slow receiver. One is killed
 * (SIGKILL: no shutdown, its attempts cut mid-request) while both hold deliveries: what it held
 * comes due again when its lease runs out and the other instance sends it. Every event arrives at
 * least once; none is lost.
 */
describe('Webhooks across two instances', () => {
  jest.setTimeout(180_000);
  const mail = new SmtpSink();
  const receiver = new WebhookReceiver();
  const instances = new InstancePair('webhooks_instances', mail);
  let a: AppProcess;
  let db: Connection;

  beforeAll(async () => {
    const [smtpPort] = await Promise.all([mail.start(), receiver.start()]);
    await instances.start({
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      WEBHOOK_TIMEOUT: '3s',
      WEBHOOK_POLL_INTERVAL: '200ms',
      WEBHOOK_CONCURRENCY: '2',
      WEBHOOK_RETRY_SCHEDULE: '200ms,200ms,200ms,200ms,200ms',
    });
    ({ a, db } = instances); // B only delivers: the spec never calls it
  });

  afterAll(async () => {
    await instances.stop();
    await Promise.all([mail.stop(), receiver.stop()]);
  });

  it('delivers every event at least once when an instance is killed mid-delivery', async () => {
    const viaA = a.from('10.26.0.1');
    const admin = await login(viaA, ADMIN.email, ADMIN.password);
    await viaA
      .http()
      .post('/api/v1/admin/webhooks')
      .set(bearer(admin))
      .send({ url: `http://127.0.0.1:${receiver.port}/hooks`, events: ['user.updated'] })
      .expect(201);
    // Slow: each answer takes a second, so attempts are in flight when A dies.
    receiver.fallback = { status: 200, delayMs: 1000 };
    const user = await member(viaA, 'busy@example.com');
    for (let i = 0; i < EVENTS; i += 1)
      await viaA
        .http()
        .patch('/api/v1/users/me')
        .set(bearer(user))
        .send({ firstName: `Name${i}` })
        .expect(200);

    // Both instances hold deliveries now (each has its own holder id on the entries it took).
    const outbox = db.collection('webhook_deliveries');
    const holders = await eventually(
      () => outbox.distinct('holder', { state: 'pending', claim: { $exists: true } }),
      (ids) => ids.length === 2,
      20_000,
    );
    expect(holders).toHaveLength(2);
    const received = receiver.received.length;
    expect(received).toBeLessThan(EVENTS);
    await a.stop('SIGKILL');

    // B sends what A held once A's lease runs out (WEBHOOK_TIMEOUT x2 + 5s), and the rest.
    const pending = await eventually(
      () => outbox.countDocuments({ state: { $ne: 'delivered' } }),
      (n) => n === 0,
      90_000,
    );
    expect(pending).toBe(0);
    const ids = await outbox.distinct('messageId');
    expect(ids).toHaveLength(EVENTS);
    const arrived = new Set(receiver.received.map((r) => String(r.headers['webhook-id'])));
    for (const id of ids) expect(arrived).toContain(id);
    const names = new Set(
      receiver.events().map((e) => (e.data.user as { firstName: string }).firstName),
    );
    expect(names.size).toBe(EVENTS);
  });
});
