import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * The development database (see README, "Development database"): mongo-java-server on the
 * machine's Java, or a real `mongod` through mongodb-memory-server where Java is absent.
 * Used by `npm start` (persistent, H2 file under `.data/`) and by the test run (in memory).
 */
export interface DevDatabase {
  uri: string;
  server: 'mongo-java-server' | 'mongod';
  /** The server's process (the fault-injection specs pause and kill it). */
  pid?: number;
  stop(): Promise<void>;
}

export interface DevDatabaseOptions {
  /** `auto`: mongo-java-server when `java` is on the PATH, otherwise mongod. */
  prefer: 'auto' | 'java' | 'mongod';
  /** Keep data in this folder between runs; in memory when absent. */
  dataDir?: string;
  /** Listen on this port (to restart a server where it was); a free one when absent. */
  port?: number;
  log?: (line: string) => void;
  /** For what must be seen before it starts (a first start's download); stderr by default. */
  announce?: (line: string) => void;
}

/** The project folder: the nearest one above this file with a package.json (src/, dist/ or a bench build). */
function projectRoot(dir = __dirname): string {
  return existsSync(join(dir, 'package.json')) || dirname(dir) === dir
    ? dir
    : projectRoot(dirname(dir));
}

const ROOT = projectRoot();
const DEVDB_DIR = join(ROOT, '.devdb');
const LIB_DIR = join(DEVDB_DIR, 'lib');
const CLASSES_DIR = join(DEVDB_DIR, 'classes');
const SOURCE_DIR = join(ROOT, 'tools', 'devdb');

// `env: process.env` spelled out: the environment as this module sees it, which under Jest is the
// spec's (its PATH may put stand-ins for mvn and javac first), not the one Node started with.
function hasCommand(command: string, arg: string): boolean {
  const result = spawnSync(command, [arg], { stdio: 'ignore', env: process.env });
  return result.status === 0;
}

function newestMtime(dir: string): number {
  return existsSync(dir)
    ? Math.max(0, ...readdirSync(dir).map((f) => statSync(join(dir, f)).mtimeMs))
    : 0;
}

/**
 * Where the slow one-time steps say what they are doing, before they start: straight to stderr,
 * since `npm start` runs them while Nest still buffers its log lines (they are printed once the
 * app is up), and a Maven fetch takes ~20 s (minutes on a slow network) of otherwise silence.
 */
export const announce = (line: string): void => void process.stderr.write(`${line}\n`);

/** The fetched jars and the compiled launcher (under `.devdb/`; a spec passes its own). */
export interface LauncherDirs {
  lib: string;
  classes: string;
}

export const FETCH_NOTICE =
  'fetching the development database (mongo-java-server) with Maven, once — about 20 s…';
export const MONGOD_NOTICE =
  'starting a real MongoDB through mongodb-memory-server (the first start downloads mongod, ~100 MB)…';
export const COMPILE_NOTICE = 'compiling the development database launcher, once…';

/** Fetches the jars (Maven, cached in ~/.m2) and compiles the launcher, once, saying so first. */
export function ensureJavaLauncher(
  say: (line: string) => void = announce,
  dirs: LauncherDirs = { lib: LIB_DIR, classes: CLASSES_DIR },
): void {
  if (!existsSync(dirs.lib) || readdirSync(dirs.lib).length === 0) {
    if (!hasCommand('mvn', '-v')) {
      throw new Error(
        'The development database needs Maven to fetch mongo-java-server once: install maven, or set MONGO_URI.',
      );
    }
    say(FETCH_NOTICE);
    run('mvn', [
      '-q',
      '-B',
      '-Dstyle.color=never',
      '-f',
      join(SOURCE_DIR, 'pom.xml'),
      'dependency:copy-dependencies',
      `-DoutputDirectory=${dirs.lib}`,
    ]);
  }
  const source = join(SOURCE_DIR, 'DevDb.java');
  if (newestMtime(dirs.classes) < statSync(source).mtimeMs) {
    say(COMPILE_NOTICE);
    mkdirSync(dirs.classes, { recursive: true });
    run('javac', ['-cp', join(dirs.lib, '*'), '-d', dirs.classes, source]);
  }
}

/** Terminal escape sequences (colours, resets). */
// eslint-disable-next-line no-control-regex -- matching ESC is the point
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

/**
 * Runs a build step with its output captured: Maven 3.8 writes bare colour resets (`ESC[0m`) even
 * with `-q -B -Dstyle.color=never`, which would land before our first log line. The output is
 * shown (without escape codes) only when the step fails.
 */
function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    env: process.env,
  });
  if (result.status === 0) return;
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.replace(ANSI, '').trim();
  const tail = output.split('\n').slice(-20).join('\n');
  throw new Error(
    `${command} ${args.slice(0, 3).join(' ')} failed (exit ${result.status ?? result.error?.message})${tail ? `:\n${tail}` : ''}`,
  );
}

async function startJava(options: DevDatabaseOptions): Promise<DevDatabase> {
  ensureJavaLauncher(options.announce);
  const args = ['-cp', `${CLASSES_DIR}:${join(LIB_DIR, '*')}`, 'DevDb'];
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    args.push(join(options.dataDir, 'devdb.mv'));
  }
  // stdin stays open: when this process dies, the pipe closes and the server exits with it.
  const child = spawn('java', args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: options.port ? { ...process.env, DEVDB_PORT: String(options.port) } : process.env,
  });
  // Java's stack trace on a failed start is kept, and explained in one line instead.
  let stderr = '';
  const collect = (chunk: Buffer) => void (stderr += chunk.toString('utf8'));
  child.stderr!.on('data', collect);
  const port = await new Promise<number>((resolvePort, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = /^ready (\d+)$/.exec(line);
      if (match) resolvePort(Number(match[1]));
    });
    child.once('error', reject);
    // 'close', not 'exit': by then all of stderr has arrived.
    child.once('close', (code) => reject(new Error(javaFailure(code, stderr, options.dataDir))));
  });
  child.stderr!.off('data', collect);
  child.stderr!.pipe(process.stderr);
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr])
    (stream as unknown as { unref?: () => void }).unref?.();
  return {
    uri: `mongodb://127.0.0.1:${port}`,
    server: 'mongo-java-server',
    pid: child.pid,
    stop: () => stopChild(child),
  };
}

/** One line saying why the Java launcher stopped before it was ready. */
function javaFailure(code: number | null, stderr: string, dataDir?: string): string {
  if (dataDir && /file is locked/i.test(stderr)) {
    return `the development database in ${dataDir} is in use by another instance (H2 locks its file): stop the other \`npm start\`, or set MONGO_URI`;
  }
  const reason = stderr
    .split('\n')
    .find((line) => line.trim() !== '')
    ?.trim();
  return `mongo-java-server exited before it was ready (code ${code})${reason ? `: ${reason}` : ''}`;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once('exit', () => done());
    // The child was unref'd so it never keeps us alive; while we wait for it, it must: otherwise
    // Node finds nothing left to do and exits mid-wait with code 0, losing the caller's exit code
    // (Jest's global teardown awaits this: a failed run used to exit 0).
    child.ref();
    child.kill('SIGTERM');
  });
}

async function startMongod(options: DevDatabaseOptions): Promise<DevDatabase> {
  let memoryServer: typeof import('mongodb-memory-server');
  try {
    memoryServer = await import('mongodb-memory-server');
  } catch {
    throw new Error(
      'No development database: install Java 17 (for mongo-java-server) or the mongodb-memory-server package, or set MONGO_URI.',
    );
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  (options.announce ?? announce)(MONGOD_NOTICE);
  const server = await memoryServer.MongoMemoryServer.create({
    instance: {
      ...(options.dataDir ? { dbPath: options.dataDir, storageEngine: 'wiredTiger' } : {}),
      ...(options.port ? { port: options.port } : {}),
    },
  });
  return {
    uri: server.getUri().replace(/\/$/, ''),
    server: 'mongod',
    pid: server.instanceInfo?.instance.mongodProcess?.pid,
    stop: async () => void (await server.stop()),
  };
}

export async function startDevDatabase(options: DevDatabaseOptions): Promise<DevDatabase> {
  const useJava =
    options.prefer === 'java' || (options.prefer === 'auto' && hasCommand('java', '-version'));
  const db = useJava ? await startJava(options) : await startMongod(options);
  options.log?.(
    `development database: ${db.server} at ${db.uri}${options.dataDir ? ` (data in ${options.dataDir})` : ' (in memory)'}`,
  );
  return db;
}

export const DEV_DATA_DIR = join(ROOT, '.data');
