import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/**
 * CI trusts `npm test`'s exit code. It once exited 0 with failing tests: the global teardown
 * awaited the database child while nothing kept Node alive, so Node left mid-teardown with code 0.
 * This runs Jest, with the same global setup and teardown, on a test that fails.
 */
describe('the test run', () => {
  it('exits non-zero when a test fails', () => {
    const config = {
      rootDir: ROOT,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/fixtures/fails-on-purpose.fixture.ts'],
      transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }] },
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    };
    const run = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/jest/bin/jest.js'), '--config', JSON.stringify(config)],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, NODE_OPTIONS: '--experimental-vm-modules' },
        timeout: 120_000,
      },
    );
    expect(run.stderr).toMatch(/1 failed/);
    expect(run.status).toBe(1);
  }, 150_000);
});
