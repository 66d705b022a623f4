import mongoose, { Connection } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { ADMIN, ADMIN_ENV, eventually, login, member } from './support/admin-helpers';
import { bearer } from './support/auth-helpers';
import { buildInstance } from './support/instance/build';
import { AppProcess } from './support/instance/instances';
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
  const dbName = `t_webhooks_instances_${randomBytes(4).toString('hex')}`;
  let a: AppProcess;
  let b: AppProcess;
  let db: Connection;
  let build: ReturnType<typeof buildInstance> | undefined;

  beforeAll(async () => {
    const [smtpPort] = await Promise.all([mail.start(), receiver.start()]);
    const mongoUri = `${process.env.TEST_MONGO_BASE_URI}/${dbName}`;
    const env = {
      ...ADMIN_ENV,
      MONGO_URI: mongoUri,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      WEBHOOK_TIMEOUT: '3s',
      WEBHOOK_POLL_INTERVAL: '200ms',
      WEBHOOK_CONCURRENCY: '2',
      WEBHOOK_RETRY_SCHEDULE: '200ms,200ms,200ms,200ms,200ms',
    };
    build = buildInstance();
    a = new AppProcess('A', build.main, env, mail);
    b = new AppProcess('B', build.main, env, mail);
    await Promise.all([a.start(), b.start()]);
    db = await mongoose.createConnection(mongoUri).asPromise();
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.dropDatabase().catch(() => undefined);
    await db?.close();
    await Promise.all([mail.stop(), receiver.stop()]);
    build?.remove();
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
