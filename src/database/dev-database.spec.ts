import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevDatabase } from './dev-database';

const hasJava = spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;

describe(startDevDatabase.name, () => {
  (hasJava ? it : it.skip)(
    'says plainly that another instance is using the data folder',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'devdb-'));
      const first = await startDevDatabase({ prefer: 'java', dataDir });
      try {
        await expect(startDevDatabase({ prefer: 'java', dataDir })).rejects.toThrow(
          `the development database in ${dataDir} is in use by another instance (H2 locks its file): stop the other \`npm start\`, or set MONGO_URI`,
        );
      } finally {
        await first.stop();
      }
    },
  );
});
