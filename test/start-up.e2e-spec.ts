import { ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigValidationError } from '../src/config/env';
import { bootstrap, startupFailure } from '../src/main';
import { buildInstance } from './support/instance/build';

/** What `npm start` does when something is wrong: one message saying what, within seconds. */
describe('Start-up failures', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    process.env = { ...saved, NODE_ENV: 'test', LOG_LEVEL: 'silent' };
  });
  afterAll(() => {
    process.env = saved;
  });

  it('stops on a bad value in .env with the same one message as for the shell', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'start-up-'));
    writeFileSync(join(dir, '.env'), 'OTP_TTL=5 minutes\nPORT=x\n');
    const error = await bootstrap(join(dir, '.env')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect(startupFailure(error)).toBe(
      'Invalid configuration:\n  - PORT must be a whole number from 0 to 65535 (got "x")\n  - OTP_TTL must be a duration such as 60s, 15m, 24h or 7d (got "5 minutes")',
    );
  });

  it('stops on an ADMIN_PASSWORD that breaks the password rules, naming it', async () => {
    process.env.ADMIN_EMAIL = 'root@example.com';
    process.env.ADMIN_PASSWORD = 'admin';
    process.env.MONGO_URI = `${process.env.TEST_MONGO_BASE_URI}/t_start_up_admin`;
    process.env.PORT = '0';
    // Should it start after all (the rule broken), it is closed again, so the run goes on.
    const error = await bootstrap(join(tmpdir(), 'no-env-file')).then(
      (app) => app.close(),
      (e: unknown) => e,
    );
    expect(startupFailure(error)).toBe(
      'Invalid configuration:\n  - ADMIN_PASSWORD must be at least 12 characters long',
    );
  });

  it('says within seconds that MONGO_URI does not answer, without its password', async () => {
    process.env.MONGO_URI = 'mongodb://app:s3cret@127.0.0.1:1/app';
    const started = Date.now();
    const error = await bootstrap(join(tmpdir(), 'no-env-file')).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(15_000);
    const message = startupFailure(error);
    expect(message).toMatch(
      /^start-up failed: MongoDB at MONGO_URI=mongodb:\/\/app:\*\*\*@127\.0\.0\.1:1\/app did not answer within 5 s: /,
    );
    expect(message).not.toContain('s3cret');
    expect(message.split('\n')).toHaveLength(1);
  });

  it('says at once that REDIS_URL does not answer, without its password', async () => {
    process.env.MONGO_URI = `${process.env.TEST_MONGO_BASE_URI}/t_start_up_redis`;
    process.env.REDIS_URL = 'redis://app:s3cret@127.0.0.1:1';
    const error = await bootstrap(join(tmpdir(), 'no-env-file')).catch((e: unknown) => e);
    const message = startupFailure(error);
    expect(message).toMatch(
      /^start-up failed: Redis at REDIS_URL=redis:\/\/app:\*\*\*@127\.0\.0\.1:1 did not answer: /,
    );
    expect(message).not.toContain('s3cret');
    expect(message.split('\n')).toHaveLength(1);
  });

  it('names the port when it is taken', () => {
    const error = Object.assign(
      new Error('listen EADDRINUSE: address already in use 0.0.0.0:3000'),
      { code: 'EADDRINUSE', port: 3000 },
    );
    expect(startupFailure(error)).toBe(
      'start-up failed: port 3000 is in use by another program: stop it, or set PORT',
    );
  });
});

/** What `npm start` prints, from the app's compiled entry point in a process of its own. */
describe('Start-up output', () => {
  jest.setTimeout(120_000);
  let build: ReturnType<typeof buildInstance>;
  const children: ChildProcess[] = [];
  beforeAll(() => (build = buildInstance()));
  afterEach(() => children.splice(0).forEach((child) => child.kill('SIGKILL')));
  afterAll(() => build?.remove());

  /** Runs `src/main.js` as `node dist/main` would run it, in an empty folder (no .env). */
  function start(env: Record<string, string>, execArgv: string[] = []) {
    const child = fork(build.appMain, [], {
      cwd: mkdtempSync(join(tmpdir(), 'start-up-cwd-')),
      execArgv,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'development',
        PORT: '0',
        MONGO_URI: `${process.env.TEST_MONGO_BASE_URI}/t_start_up_output_${randomBytes(4).toString('hex')}`,
        BCRYPT_COST: '4',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    children.push(child);
    let output = '';
    const waiters: (() => void)[] = [];
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      waiters.forEach((check) => check());
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    return {
      output: () => output,
      exited,
      signal: (signal: NodeJS.Signals) => child.kill(signal),
      /** Resolves with the output once `pattern` appears in it (or rejects if the process exits first). */
      waitFor: (pattern: RegExp) =>
        new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no ${pattern} in:\n${output}`)), 60_000);
          const check = () => {
            if (!pattern.test(output)) return;
            clearTimeout(timer);
            resolve(output);
          };
          waiters.push(check);
          check();
          void exited.then(() => reject(new Error(`exited before ${pattern}:\n${output}`)));
        }),
      stop: () => {
        child.kill('SIGTERM');
        return exited;
      },
    };
  }

  it('prints a short start and one ready block naming the API, /docs, /admin, /health/ready, the database and the mail', async () => {
    const app = start({ LOG_LEVEL: 'info' });
    const output = await app.waitFor(/ {2}mail +.*\n/);
    await app.stop();
    const lines = output.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(12);
    expect(output).not.toMatch(/RouterExplorer|RoutesResolver|InstanceLoader|No resolvers/);
    const port = /http:\/\/localhost:(\d+)\/api\/v1/.exec(output)![1];
    const url = `http://localhost:${port}`;
    const block = lines.slice(lines.findIndex((line) => /\bready after \d+ ms$/.test(line)));
    expect(block.slice(1).map((line) => line.trim().split(/\s{2,}/))).toEqual([
      ['API', `${url}/api/v1`],
      ['Swagger UI', `${url}/docs`],
      ['admin console', expect.stringMatching(new RegExp(`^${url}/admin`))],
      ['readiness', `${url}/health/ready`],
      ['database', expect.stringMatching(/^MongoDB at MONGO_URI=mongodb:\/\/127\.0\.0\.1:\d+\//)],
      ['mail', 'written to this log (SMTP_URL is unset)'],
    ]);
  });

  it("keeps Nest's route and module lines for LOG_LEVEL=debug", async () => {
    const app = start({ LOG_LEVEL: 'debug' });
    const output = await app.waitFor(/ {2}mail +.*\n/);
    await app.stop();
    expect(output).toMatch(/\[RouterExplorer\] Mapped \{\/api\/v1\/auth\/login, POST\} route/);
    expect(output).toMatch(/\[InstanceLoader\] AppModule dependencies initialized/);
  });

  it('says in one line, and nothing else, that the port is in use, and exits non-zero', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '0.0.0.0', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const app = start({ LOG_LEVEL: 'info', PORT: String(port) });
      expect(await app.exited).toBe(1);
      expect(app.output()).toBe(
        `start-up failed: port ${port} is in use by another program: stop it, or set PORT\n`,
      );
    } finally {
      blocker.close();
    }
  });

  it('loads no library at start that only a passkey, a mail, a TOTP code or a provider sign-in needs', async () => {
    const list = join(mkdtempSync(join(tmpdir(), 'start-up-modules-')), 'loaded.txt');
    // As deployed, with a mail server and sign-in providers configured: each library still waits
    // for its first use (none of these is contacted at start).
    const app = start(
      {
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        JWT_ACCESS_SECRET: randomBytes(32).toString('hex'),
        PASSWORD_PEPPER: randomBytes(32).toString('hex'),
        TOTP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        PUBLIC_URL: 'https://id.example.com',
        SMTP_URL: 'smtp://127.0.0.1:1',
        OAUTH_REDIRECT_ALLOWLIST: 'https://app.example.com/signed-in',
        OAUTH_FACEBOOK_CLIENT_ID: 'fb-app',
        OAUTH_FACEBOOK_CLIENT_SECRET: 'fb-secret',
        OAUTH_OIDC_ACME_ISSUER: 'https://idp.example.com',
        OAUTH_OIDC_ACME_CLIENT_ID: 'acme-client',
        OAUTH_OIDC_ACME_CLIENT_SECRET: 'acme-secret',
        LOADED_MODULES_FILE: list,
      },
      ['-r', join(__dirname, 'support', 'loaded-modules.js')],
    );
    await app.waitFor(/ {2}mail +.*\n/);
    app.signal('SIGUSR2');
    const deadline = Date.now() + 10_000;
    while (!existsSync(list) && Date.now() < deadline) await sleep(50);
    await app.stop();
    const packages = new Set(
      readFileSync(list, 'utf8')
        .split('\n')
        .map((path) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1])
        .filter(Boolean),
    );
    expect(packages).toContain('@nestjs/core'); // the list is the real one
    const firstUse = [
      '@simplewebauthn/server',
      '@peculiar/x509',
      '@nestjs-modules/mailer',
      'nodemailer',
      'handlebars',
      'otplib',
      'openid-client',
    ];
    expect(firstUse.filter((name) => packages.has(name))).toEqual([]);
  });
});
