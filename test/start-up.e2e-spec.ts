import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError } from '../src/config/env';
import { bootstrap, startupFailure } from '../src/main';

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
