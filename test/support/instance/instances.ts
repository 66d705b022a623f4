import { ChildProcess, fork } from 'node:child_process';
import request, { Test } from 'supertest';
import TestAgent from 'supertest/lib/agent';
import type { Client } from '../auth-helpers';
import type { ScheduledRun } from '../../../src/common/jobs/purge.job';
import { SmtpSink } from '../smtp-sink';
import type { FromInstance, ToInstance } from './main';

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** The environment every spawned instance shares (the suite's fast defaults, as in test-app.ts). */
const INSTANCE_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  BCRYPT_COST: '4',
  // A loaded test machine can keep the development database busy for seconds; the deadline's own
  // behaviour is tested with the default in database-faults.e2e-spec.ts.
  MONGO_OPERATION_TIMEOUT: '30s',
  RATE_LIMIT_AUTH: '10000/1m',
  RATE_LIMIT_DEFAULT: '10000/1m',
  PORT: '0',
  TRUST_PROXY: 'true',
};

/**
 * The app in a process of its own, started the way `npm start` starts it (`bootstrap`, signal
 * handling included), compiled as `nest build` compiles it. For what one process cannot show: several
 * instances on one database and Redis, and shutdown on SIGTERM.
 */
export class AppProcess {
  url = '';
  /** What the process printed (warnings and errors: LOG_LEVEL=warn), for failure messages. */
  output = '';
  private child?: ChildProcess;

  /** `main`: the compiled entry point, from `buildInstance()`. */
  constructor(
    readonly name: string,
    private readonly main: string,
    private readonly env: Record<string, string>,
    readonly mail: SmtpSink,
  ) {}

  async start(): Promise<void> {
    const child = fork(this.main, [], {
      execArgv: [],
      env: { PATH: process.env.PATH, ...INSTANCE_ENV, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child = child;
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.name} did not start:\n${this.output}`)),
        60_000,
      );
      child.on('message', (message: FromInstance) => {
        if (message.type === 'listening') {
          clearTimeout(timer);
          resolve(message.port);
        } else if (message.type === 'failed') reject(new Error(message.message));
      });
      child.once('exit', (code) =>
        reject(new Error(`${this.name} exited (${code}) before listening:\n${this.output}`)),
      );
    });
    this.url = `http://127.0.0.1:${port}`;
  }

  http = (): TestAgent => request(this.url);

  /**
   * Requests to this instance as if from `ip` (the instances trust X-Forwarded-For): each spec
   * gets rate-limit and lockout counters of its own, shared by both instances.
   */
  from(ip: string): Client {
    const agent = request(this.url);
    const withIp = new Proxy(agent, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || !HTTP_METHODS.has(String(property))) return value;
        return (...args: unknown[]) =>
          (value as (...a: unknown[]) => Test).apply(target, args).set('X-Forwarded-For', ip);
      },
    });
    return { http: () => withIp, mail: this.mail };
  }

  /** Fires every scheduled job's tick in this instance; says which ones ran. */
  tick(): Promise<Record<string, ScheduledRun>> {
    const child = this.child!;
    return new Promise((resolve) => {
      const onMessage = (message: FromInstance) => {
        if (message.type !== 'ticked') return;
        child.off('message', onMessage);
        resolve(message.runs);
      };
      child.on('message', onMessage);
      child.send({ type: 'tick' } satisfies ToInstance);
    });
  }

  /** Sends the signal; resolves with the exit code once the process is gone. */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    const child = this.child;
    // Gone already (exited, or killed by a signal: then exitCode stays null and signalCode is set).
    if (!child || child.exitCode !== null || child.signalCode !== null)
      return Promise.resolve(child?.exitCode ?? null);
    return new Promise((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.kill(signal);
    });
  }
}
