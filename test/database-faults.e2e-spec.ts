import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DevDatabase, startDevDatabase } from '../src/database/dev-database';
import { eventually, login, member } from './support/admin-helpers';
import { bearer, Pair, PASSWORD } from './support/auth-helpers';
import { createTestApp, TestApp } from './support/test-app';

/**
 * The database stalls (SIGSTOP: what a GC pause, a stalled disk or an election look like to the
 * driver) or dies (SIGKILL) under parallel requests. Every request that needs it answers 503
 * `dependency_down` with Retry-After within 10 s, never a 401 that would sign a client out, and
 * no session is lost: a refresh that gave up is retried with the same token and works.
 *
 * The server is this file's own (the run's shared one must not stop), on a file so that a
 * killed server comes back with its data, on the port the app knows.
 */
describe('Database faults', () => {
  jest.setTimeout(120_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'db-faults-'));
  let db: DevDatabase;
  let port: number;
  let t: TestApp;
  const SESSIONS = 4;
  let pairs: Pair[] = [];
  /** A session of its own for the logout in the traffic (a logout that lands later is legitimate). */
  let leaving: Pair;

  const startDatabase = async () =>
    (db = await startDevDatabase({ prefer: 'auto', dataDir, ...(port ? { port } : {}) }));
  const signal = (name: NodeJS.Signals) => process.kill(db.pid!, name);

  beforeAll(async () => {
    await startDatabase();
    port = Number(new URL(db.uri).port);
    t = await createTestApp({
      MONGO_URI: `${db.uri}/faults`,
      LOGIN_EMAIL_OTP: 'false',
      MONGO_OPERATION_TIMEOUT: '5s', // the default
    });
    await member(t, 'faults@example.com');
    pairs = await Promise.all(
      Array.from({ length: SESSIONS }, () => login(t, 'faults@example.com')),
    );
    leaving = await login(t, 'faults@example.com');
  });

  afterAll(async () => {
    if (db?.pid) process.kill(db.pid, 'SIGCONT');
    await t?.close();
    await db?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** One request, timed; what a client would see of it. */
  async function timed(
    send: () => PromiseLike<{ status: number; body: unknown; headers: object }>,
  ) {
    const started = Date.now();
    const res = await send();
    const body = res.body as { code?: string };
    const headers = res.headers as Record<string, string | undefined>;
    return {
      status: res.status,
      code: body.code,
      retryAfter: headers['retry-after'],
      ms: Date.now() - started,
    };
  }

  /** What every kind of client sends at once: reads, refreshes, sign-in, sign-up, reset. */
  const traffic = () => [
    ...pairs.map((pair) => timed(() => t.http().get('/api/v1/users/me').set(bearer(pair)))),
    ...pairs.map((pair) =>
      timed(() => t.http().post('/api/v1/auth/refresh').send({ refreshToken: pair.refreshToken })),
    ),
    timed(() =>
      t.http().post('/api/v1/auth/login').send({ email: 'faults@example.com', password: PASSWORD }),
    ),
    timed(() =>
      t.http().post('/api/v1/auth/register').send({ email: 'new@example.com', password: PASSWORD }),
    ),
    timed(() =>
      t.http().post('/api/v1/auth/forgot-password').send({ email: 'faults@example.com' }),
    ),
    timed(() =>
      t
        .http()
        .post('/api/v1/auth/logout')
        .set(bearer(leaving))
        .send({ refreshToken: leaving.refreshToken }),
    ),
  ];

  /**
   * The OpenID provider's userinfo with an opaque token: the provider looks it up in the
   * database itself (the token endpoint would stop earlier, at the sign-in rate limit's counter).
   */
  const userinfo = () =>
    t
      .http()
      .get('/oidc/me')
      .set('authorization', `Bearer ${'o'.repeat(43)}`);

  function expectUnavailable(answers: Awaited<ReturnType<typeof timed>>[]) {
    for (const answer of answers) {
      if (answer.status === 500)
        console.log(t.logs.lines.filter((line) => /"level":50/.test(line)).join('\n'));
      expect(answer).toMatchObject({ status: 503, code: 'dependency_down', retryAfter: '5' });
      expect(answer.ms).toBeLessThan(10_000);
    }
  }

  const ready = () =>
    eventually(
      () =>
        t
          .http()
          .get('/health/ready')
          .then((res) => res.status),
      (status) => status === 200,
      20_000,
    );

  /** Every session still works: its refresh token (the one it had) rotates, and the new access token reads. */
  async function expectEverySessionAlive() {
    const refreshed = await Promise.all(
      pairs.map((pair) =>
        t.http().post('/api/v1/auth/refresh').send({ refreshToken: pair.refreshToken }),
      ),
    );
    expect(refreshed.map((res) => [res.status, (res.body as { code?: string }).code])).toEqual(
      pairs.map(() => [200, undefined]),
    );
    pairs = refreshed.map((res) => res.body as Pair);
    for (const pair of pairs) await t.http().get('/api/v1/users/me').set(bearer(pair)).expect(200);
  }

  it('answers 503 with Retry-After while the database is paused, and a refresh retried after it keeps its session', async () => {
    // Past the 5 s session cache: the token check itself must ask the database.
    t.clock.advance(6_000);
    signal('SIGSTOP');
    const [answers, info] = await Promise.all([Promise.all(traffic()), userinfo()]);
    // Longer than the refresh grace, as an election can be: the refreshes' writes are still
    // queued at the server, and land only when it resumes.
    await new Promise((resume) =>
      setTimeout(resume, 15_000 - Math.min(...answers.map((a) => a.ms))),
    );
    signal('SIGCONT');
    expectUnavailable(answers);
    // The provider's own failure (OAuth `server_error`, 500) becomes the standard
    // `temporarily_unavailable` with a 503 and Retry-After.
    expect([info.status, info.body, info.headers['retry-after']]).toEqual([
      503,
      { error: 'temporarily_unavailable', error_description: expect.any(String) },
      '5',
    ]);

    expect(await ready()).toBe(200);
    // Refreshes that gave up did rotate, late (those whose query reached the server before it
    // stopped; the others never left the pool): their retries below present rotated-away tokens.
    const hashOf = (pair: Pair) =>
      createHash('sha256').update(pair.refreshToken.split('.')[1]).digest('base64url');
    const sessions = await t.db
      .collection('sessions')
      .find({}, { projection: { rotatedFromHash: 1 } })
      .toArray();
    const rotatedFrom = new Set(sessions.map((session) => session.rotatedFromHash as unknown));
    expect(pairs.filter((pair) => rotatedFrom.has(hashOf(pair))).length).toBeGreaterThan(0);
    await expectEverySessionAlive();
  });

  it('answers 503 with Retry-After while the database is down, and every session works once it is back', async () => {
    t.clock.advance(6_000);
    // The development database's H2 file takes writes about once a second (real MongoDB has an
    // acknowledged write in its journal already): let the last refreshes reach the file first.
    await new Promise((written) => setTimeout(written, 2_000));
    signal('SIGKILL');
    const answers = await Promise.all(traffic());
    expectUnavailable(answers);

    await startDatabase();
    expect(await ready()).toBe(200);
    await expectEverySessionAlive();
  });
});
