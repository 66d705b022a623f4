import { Controller, Get } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { Agent, request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Public } from '../src/common/decorators/public.decorator';
import { BackgroundWork } from '../src/common/background/background-work';
import { GracefulShutdown, ShutdownState } from '../src/common/lifecycle/shutdown';
import { ADMIN_ENV, eventually, member } from './support/admin-helpers';
import { PASSWORD } from './support/auth-helpers';
import { buildInstance } from './support/instance/build';
import { AppProcess } from './support/instance/instances';
import { SmtpSink } from './support/smtp-sink';
import { createTestApp, TestApp } from './support/test-app';

/** SIGTERM as an orchestrator sends it: nothing in flight, or sent while draining, fails. */
describe('Graceful shutdown on SIGTERM', () => {
  jest.setTimeout(120_000);
  const mail = new SmtpSink();
  let build: ReturnType<typeof buildInstance>;
  let app: AppProcess;

  beforeAll(async () => {
    const smtpPort = await mail.start();
    build = buildInstance();
    app = new AppProcess(
      'app',
      build.main,
      {
        ...ADMIN_ENV,
        MONGO_URI: `${process.env.TEST_MONGO_BASE_URI}/t_shutdown_${randomBytes(4).toString('hex')}`,
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        // Slow enough that sign-ins are still hashing when the signal comes.
        BCRYPT_COST: '11',
        SHUTDOWN_DRAIN: '2s',
        SHUTDOWN_TIMEOUT: '20s',
        LOG_LEVEL: 'info',
      },
      mail,
    );
    await app.start();
  });

  afterAll(async () => {
    await app?.stop('SIGKILL');
    await mail.stop();
    build?.remove();
  });

  it('finishes the requests in flight and serves those sent while draining, then exits 0', async () => {
    await member(app.from('10.14.0.1'), 'stays@example.com');
    // From several addresses: the lockout evaluates at most 5 parallel attempts per address.
    const signIn = (_: unknown, i = 99) =>
      fetch(`${app.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.14.1.${i}` },
        body: JSON.stringify({ email: 'stays@example.com', password: PASSWORD }),
      });

    const inFlight = Array.from({ length: 8 }, signIn);
    await sleep(100);
    const exited = app.stop('SIGTERM');
    // Draining: no longer ready, but still serving (each response closes its connection).
    const ready = await eventually(
      () => fetch(`${app.url}/health/ready`),
      (r) => r.status === 503,
    );
    const duringDrain = await signIn(undefined);

    const statuses = (await Promise.all(inFlight)).map((r) => r.status);
    expect(statuses).toEqual(Array(8).fill(200));
    expect(duringDrain.status).toBe(200);
    expect(duringDrain.headers.get('connection')).toBe('close');
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { code: string }).code).toBe('shutting_down');

    expect(await exited).toBe(0);
    expect(app.output).toMatch(/SIGTERM: shutting down/);
    expect(app.output).toMatch(/shut down in \d+ ms/);
    // Nothing failed: every request logged answered below 500 but the readiness probe's 503.
    const answers = app.output
      .split('\n')
      .filter((line) => line.includes('"request completed"'))
      .map((line) => JSON.parse(line) as { req: { url: string }; res: { statusCode: number } });
    expect(answers.length).toBeGreaterThanOrEqual(10);
    expect(answers.filter((a) => a.res.statusCode >= 500 && a.req.url !== '/health/ready')).toEqual(
      [],
    );
  });
});

/**
 * SIGTERM with no drain (the default) under a steady stream of parallel requests on keep-alive
 * connections, PATCHes among them: each gets a normal answer, or 503 `shutting_down` with
 * Connection: close and Retry-After; a connection is refused only once the listener closed, and
 * no request sent before then meets a reset.
 */
describe('SIGTERM under a steady stream of requests', () => {
  jest.setTimeout(120_000);
  const mail = new SmtpSink();
  let build: ReturnType<typeof buildInstance>;
  let app: AppProcess;

  beforeAll(async () => {
    const smtpPort = await mail.start();
    build = buildInstance();
    app = new AppProcess(
      'app',
      build.main,
      {
        LOGIN_EMAIL_OTP: 'false', // one-step sign-in
        MONGO_URI: `${process.env.TEST_MONGO_BASE_URI}/t_shutdown_stream_${randomBytes(4).toString('hex')}`,
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        LOG_LEVEL: 'info',
      },
      mail,
    );
    await app.start();
  });

  afterAll(async () => {
    await app?.stop('SIGKILL');
    await mail.stop();
    build?.remove();
  });

  interface Outcome {
    sentAt: number;
    status?: number;
    connection?: string;
    retryAfter?: string;
    code?: string;
    error?: string;
  }

  function send(agent: Agent, method: string, path: string, token: string): Promise<Outcome> {
    const sentAt = Date.now();
    const { port } = new URL(app.url);
    return new Promise((resolve) => {
      const body = method === 'PATCH' ? JSON.stringify({ firstName: 'Stream' }) : undefined;
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          agent,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({
              sentAt,
              status: res.statusCode,
              connection: res.headers.connection,
              retryAfter: res.headers['retry-after'] as string | undefined,
              code:
                res.statusCode === 503 ? (JSON.parse(text) as { code: string }).code : undefined,
            });
          });
          res.on('error', (e: NodeJS.ErrnoException) =>
            resolve({ sentAt, error: e.code ?? e.message }),
          );
        },
      );
      req.on('error', (e: NodeJS.ErrnoException) =>
        resolve({ sentAt, error: e.code ?? e.message }),
      );
      req.end(body);
    });
  }

  it('answers each request normally or with 503 and Connection: close, and resets none sent before the listener closed', async () => {
    const pair = await member(app.from('10.15.0.1'), 'stream@example.com');
    const outcomes: Outcome[] = [];
    let stopping = false;
    // 24 clients, each on its own keep-alive connection, sending one request after another.
    const workers = Array.from({ length: 24 }, async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      for (let n = 0; ; n++) {
        const outcome = await send(
          agent,
          n % 2 === 0 ? 'GET' : 'PATCH',
          '/api/v1/users/me',
          pair.accessToken,
        );
        outcomes.push(outcome);
        if (outcome.error === 'ECONNREFUSED') break;
        if (stopping && outcomes.length > 5_000) break;
      }
      agent.destroy();
    });
    await sleep(500);
    stopping = true;
    const signalAt = Date.now();
    const exited = app.stop('SIGTERM');
    await Promise.all(workers);
    expect(await exited).toBe(0);

    const answered = outcomes.filter((o) => o.status !== undefined);
    const refusals = outcomes.filter((o) => o.status === 503);
    expect(answered.length).toBeGreaterThan(24);
    expect(refusals.length).toBeGreaterThan(0);
    for (const o of answered) {
      if (o.status === 503)
        expect(o).toMatchObject({ code: 'shutting_down', connection: 'close', retryAfter: '1' });
      else expect(o.status).toBe(200);
    }
    // No request sent before the listener closed fails without an answer (it closes 200 ms after
    // the signal, with no drain; 150 ms leaves room for the signal's own delivery). After that, a
    // refused connection is expected.
    const failedEarly = outcomes
      .filter((o) => o.error !== undefined && o.error !== 'ECONNREFUSED')
      .map((o) => ({ error: o.error, msAfterSignal: o.sentAt - signalAt }))
      .filter((o) => o.msAfterSignal < 150);
    expect(failedEarly).toEqual([]);
    const closedLine = app.output
      .split('\n')
      .find((line) => line.includes('no longer accepting connections'));
    expect(closedLine).toBeDefined();
  });
});

@Controller('test-slow')
@Public()
class SlowController {
  @Get()
  async slow(): Promise<{ done: true }> {
    await sleep(1_500);
    return { done: true };
  }
}

describe('Graceful shutdown, in process', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp({}, { controllers: [SlowController] });
    await t.app.listen(0, '127.0.0.1');
  });
  afterEach(async () => {
    await t.mail.stop();
    await t.db.close().catch(() => undefined);
  });

  it('lets a request in flight finish before it closes the app', async () => {
    const url = await t.app.getUrl();
    const slow = fetch(`${url}/api/v1/test-slow`).then((r) => r.status);
    await sleep(100);
    const started = Date.now();
    await new GracefulShutdown(t.app, { drainMs: 0, timeoutMs: 10_000 }).close();
    expect(Date.now() - started).toBeGreaterThan(1_000);
    expect(Date.now() - started).toBeLessThan(5_000); // not the whole SHUTDOWN_TIMEOUT
    expect(await slow).toBe(200);
  });

  it('waits for the work answered requests left running (mail, audit) before it closes', async () => {
    let delivered = false;
    t.app.get(BackgroundWork).run('slow mail', async () => {
      await sleep(500);
      delivered = true;
    });
    await new GracefulShutdown(t.app, { drainMs: 0, timeoutMs: 10_000 }).close();
    expect(delivered).toBe(true);
  });

  it('reads and drops the body of a request it refuses while closing, so its 503 is not lost to a reset', async () => {
    t.app.get(ShutdownState).startClosing();
    const { port } = new URL(await t.app.getUrl());
    // A PATCH whose large body is still arriving when the 503 is decided: a socket closed with
    // those bytes unread would be reset, and the reset can overtake the answer.
    const body = JSON.stringify({ firstName: 'x'.repeat(900_000) });
    const answer = await new Promise<{ head?: string; error?: string }>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1');
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
      socket.on('error', (error: NodeJS.ErrnoException) =>
        resolve({ head: received.split('\r\n')[0], error: error.code }),
      );
      socket.on('close', () => resolve({ head: received }));
      socket.write(
        'PATCH /api/v1/users/me HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
      );
      socket.write(body);
    });
    expect(answer.error).toBeUndefined();
    expect(answer.head).toMatch(/^HTTP\/1\.1 503 /);
    expect(answer.head).toMatch(/connection: close/i);
    expect(answer.head).toContain('"code":"shutting_down"');
    await new GracefulShutdown(t.app, { drainMs: 0, timeoutMs: 1_000 }).close();
  });

  it('cuts off a request that outlives SHUTDOWN_TIMEOUT, then closes the app', async () => {
    const url = await t.app.getUrl();
    const slow = fetch(`${url}/api/v1/test-slow`).then(
      (r) => r.status,
      () => 'cut off',
    );
    await sleep(100);
    const started = Date.now();
    await new GracefulShutdown(t.app, { drainMs: 0, timeoutMs: 300 }).close();
    expect(Date.now() - started).toBeLessThan(1_200);
    expect(await slow).toBe('cut off');
  });
});
