import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const { nodeVersionProblem } = createRequire(__filename)('../scripts/check-node.js') as {
  nodeVersionProblem: (version: string) => string | null;
};

const REFUSAL =
  'This project needs Node 24.9 or newer (see .nvmrc); this is v20.19.1. Use `nvm use`, or ' +
  '`export PATH="$(scripts/ensure-node.sh):$PATH"` to install Node 24 into .tools/node.';

/** A new user on an old Node: one line saying what to do, before any build (issue 21, item 15). */
describe('The Node version check', () => {
  it('refuses versions older than 24.9 in one line, and lets newer ones through', () => {
    expect(nodeVersionProblem('20.19.1')).toBe(REFUSAL);
    expect(nodeVersionProblem('v24.8.0')).toMatch(/^This project needs Node 24\.9 or newer/);
    expect(nodeVersionProblem('24.9.0')).toBeNull();
    expect(nodeVersionProblem('25.0.0')).toBeNull();
    expect(nodeVersionProblem(process.versions.node)).toBeNull();
  });

  it.each(['start', 'start:dev', 'start:prod', 'build'])(
    '`npm run %s` on Node 20 stops with that line before building anything',
    (script) => {
      // The check reads CHECK_NODE_VERSION in place of the running version; npm is this Node's.
      const result = spawnSync('npm', ['run', script], {
        cwd: ROOT,
        env: {
          ...process.env,
          PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
          NODE_OPTIONS: '',
          CHECK_NODE_VERSION: '20.19.1',
        },
        encoding: 'utf8',
        // Without the check the script would build and start the app: cut that off.
        timeout: 60_000,
      });
      expect(result.status).toBe(1);
      expect(result.stderr.trim()).toBe(REFUSAL);
      expect(result.stdout).not.toMatch(/nest|vite|tsc/i);
    },
  );
});
