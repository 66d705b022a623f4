import { createRequire } from 'node:module';
import * as vm from 'node:vm';
import { startDevDatabase } from '../../src/database/dev-database';

/** The same check (and one-line message) as `npm start` and `npm run build` run first. */
const { nodeVersionProblem } = createRequire(__filename)('../../scripts/check-node.js') as {
  nodeVersionProblem: (version: string) => string | null;
};

/**
 * Jest require()s ESM-only packages (NestJS 12 and others) from the CommonJS specs only on
 * Node 24.9+ with --experimental-vm-modules; say so up front instead of failing in every file.
 */
function assertRuntime(): void {
  const problem = nodeVersionProblem(process.versions.node);
  if (problem) throw new Error(problem);
  if (typeof (vm as { SourceTextModule?: unknown }).SourceTextModule !== 'function') {
    throw new Error(
      'Run the tests through `npm test` (it sets NODE_OPTIONS=--experimental-vm-modules).',
    );
  }
}

/** One development database (in memory) for the whole test run; e2e files use their own names. */
export default async function globalSetup(): Promise<void> {
  assertRuntime();
  const prefer = (process.env.DEV_DB as 'auto' | 'java' | 'mongod' | undefined) ?? 'auto';
  const started = Date.now();
  const db = await startDevDatabase({ prefer });
  process.env.TEST_MONGO_BASE_URI = db.uri;
  (globalThis as { __devDatabase?: typeof db }).__devDatabase = db;
  process.stdout.write(
    `\nnode ${process.version}; test database: ${db.server} at ${db.uri} (started in ${Date.now() - started} ms)\n`,
  );
}
