import type { DevDatabase } from '../../src/database/dev-database';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __devDatabase?: DevDatabase }).__devDatabase?.stop();
}
