import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMPILE_NOTICE, ensureJavaLauncher, FETCH_NOTICE, startDevDatabase } from './dev-database';

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

describe(ensureJavaLauncher.name, () => {
  const savedPath = process.env.PATH;
  afterEach(() => {
    process.env.PATH = savedPath;
  });

  /** `mvn` and `javac` stand-ins on PATH that leave a file where the real ones would. */
  function fakeTools(): string {
    const bin = mkdtempSync(join(tmpdir(), 'devdb-bin-'));
    const tool = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    tool(
      'mvn',
      'for a in "$@"; do case "$a" in -DoutputDirectory=*) d="${a#-DoutputDirectory=}"; mkdir -p "$d"; touch "$d/fake.jar";; esac; done',
    );
    tool('javac', 'while [ "$1" != "-d" ]; do shift; done; mkdir -p "$2"; touch "$2/DevDb.class"');
    process.env.PATH = `${bin}:${savedPath}`;
    return bin;
  }

  it('says it is fetching with Maven (and compiling) before it starts, and only the first time', () => {
    fakeTools();
    const dir = mkdtempSync(join(tmpdir(), 'devdb-dirs-'));
    const dirs = { lib: join(dir, 'lib'), classes: join(dir, 'classes') };
    // What had been done when each line was said: nothing yet for the fetch line.
    const said: { line: string; jars: boolean; classes: boolean }[] = [];
    const log = (line: string) =>
      said.push({
        line,
        jars: existsSync(dirs.lib) && readdirSync(dirs.lib).length > 0,
        classes: existsSync(dirs.classes),
      });

    ensureJavaLauncher(log, dirs);
    expect(said).toEqual([
      { line: FETCH_NOTICE, jars: false, classes: false },
      { line: COMPILE_NOTICE, jars: true, classes: false },
    ]);
    expect(FETCH_NOTICE).toBe(
      'fetching the development database (mongo-java-server) with Maven, once — about 20 s…',
    );

    said.length = 0;
    ensureJavaLauncher(log, dirs);
    expect(said).toEqual([]);
  });

  it('names what to install when Maven is missing, before saying it fetches', () => {
    const bin = mkdtempSync(join(tmpdir(), 'devdb-empty-bin-'));
    process.env.PATH = bin;
    const dir = mkdtempSync(join(tmpdir(), 'devdb-dirs-'));
    const said: string[] = [];
    expect(() =>
      ensureJavaLauncher((line) => said.push(line), {
        lib: join(dir, 'lib'),
        classes: join(dir, 'classes'),
      }),
    ).toThrow('install maven, or set MONGO_URI');
    expect(said).toEqual([]);
  });
});
