import { Type } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { AppModule } from '../../src/app.module';
import { APP_OPTIONS, configureApp, createAdapter } from '../../src/app.setup';
import { BackgroundWork } from '../../src/common/background/background-work';
import { LOG_DESTINATION } from '../../src/common/logging.module';
import { Clock } from '../../src/common/time/clock';
import { SmtpSink } from './smtp-sink';

/** A clock the test moves by hand: expiry is tested without sleeping. */
export class TestClock extends Clock {
  private offsetMs = 0;
  override now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/** Every log line the app wrote, as text, so specs can check what never reaches a log. */
export class LogSink extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  text(): string {
    return this.lines.join('\n');
  }
}

/**
 * nestjs-pino builds one pino-http logger per process, with the first app's destination, and
 * keeps it: so every app of a spec file (Jest gives each file its own modules) writes to this
 * one sink, and `logs` holds the lines of all of them.
 */
const fileLogs = new LogSink();

export interface TestApp {
  app: NestFastifyApplication;
  http: () => TestAgent;
  mail: SmtpSink;
  clock: TestClock;
  logs: LogSink;
  db: Connection;
  /** Waits for the work the app does after answering (deferred sends, mail delivery). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** Defaults that keep the suite fast: cheap bcrypt, generous rate limits (specs lower them). */
const TEST_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'info',
  BCRYPT_COST: '4',
  // A loaded test machine can keep the development database busy for seconds; the deadline's own
  // behaviour is tested with the default in database-faults.e2e-spec.ts.
  MONGO_OPERATION_TIMEOUT: '30s',
  RATE_LIMIT_AUTH: '10000/1m',
  RATE_LIMIT_DEFAULT: '10000/1m',
  TRUST_PROXY: 'false',
};

/**
 * Boots the real AppModule on Fastify against the run's database (a database name of its own),
 * with a real SMTP server on loopback. Nothing inside the app is mocked; only the clock is ours.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  options: { controllers?: Type[] } = {},
): Promise<TestApp> {
  const base = process.env.TEST_MONGO_BASE_URI;
  if (!base)
    throw new Error(
      'TEST_MONGO_BASE_URI is unset: run through jest (global-setup starts the database)',
    );
  const mail = new SmtpSink();
  const smtpPort = await mail.start();
  const file = basename(expect.getState().testPath ?? 'spec')
    .replace(/\W+/g, '_')
    .slice(0, 30);
  const dbName = `t_${file}_${randomBytes(4).toString('hex')}`;
  Object.assign(
    process.env,
    TEST_ENV,
    { MONGO_URI: `${base}/${dbName}`, SMTP_URL: `smtp://127.0.0.1:${smtpPort}` },
    env,
  );

  const clock = new TestClock();
  const logs = fileLogs;
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule],
    controllers: options.controllers ?? [],
  })
    .overrideProvider(Clock)
    .useValue(clock)
    .overrideProvider(LOG_DESTINATION)
    .useValue(logs)
    .compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(
    createAdapter(process.env.TRUST_PROXY === 'true'),
    { ...APP_OPTIONS, logger: false },
  );
  await configureApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const db = app.get<Connection>(getConnectionToken());

  return {
    app,
    http: () => request(app.getHttpServer()),
    mail,
    clock,
    logs,
    db,
    settle: () => app.get(BackgroundWork).drain(),
    async close() {
      await db.dropDatabase().catch(() => undefined);
      await app.close();
      await mail.stop();
    },
  };
}
