import { startDevDatabase } from '../../src/database/dev-database';

/** One development database (in memory) for the whole test run; e2e files use their own names. */
export default async function globalSetup(): Promise<void> {
  const prefer = (process.env.DEV_DB as 'auto' | 'java' | 'mongod' | undefined) ?? 'auto';
  const started = Date.now();
  const db = await startDevDatabase({ prefer });
  process.env.TEST_MONGO_BASE_URI = db.uri;
  (globalThis as { __devDatabase?: typeof db }).__devDatabase = db;
  process.stdout.write(`\ntest database: ${db.server} at ${db.uri} (started in ${Date.now() - started} ms)\n`);
}
