/**
 * The project's performance record (issue 12). Starts a development database, then the built app
 * as its own process (pinned to core 0 when `taskset` exists, the load on the other), and for each
 * scenario: a warm-up, then 3 measured windows driven by autocannon from this process; it prints
 * the median of req/s, requests per server CPU-second (utime+stime from /proc/<pid>/stat),
 * p50/p99 and errors. Any non-2xx answer fails the scenario loudly: a fast error is not a result.
 * Ceilings run in their own process on the same core, in the same run. The table is printed and
 * written to bench/RESULTS.md with the date, machine and commit.
 *
 *   npm run bench          (BENCH_SECONDS=10 BENCH_USERS=100000 to change the windows and seed)
 */
import autocannon from 'autocannon';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { startDevDatabase } from '../src/database/dev-database';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WINDOWS = 3;
const ROOT = join(__dirname, '..', '..');
const MAIN = join(__dirname, '..', 'src', 'main.js');
const CEILING = join(__dirname, 'ceiling.js');
const PASSWORD = 'bench password long enough';
/**
 * The node flags the Dockerfile starts the API with (its CMD), so the figures are the deployed
 * process's: e.g. the young generation's size, which sets much of the RSS.
 */
const NODE_FLAGS = (() => {
  const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'))?.[1];
  return cmd ? (JSON.parse(cmd) as string[]).filter((arg) => arg.startsWith('--')) : [];
})();
const HAS_TASKSET = (() => {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return cpus().length > 1;
  } catch {
    return false;
  }
})();

interface Row {
  scenario: string;
  rps: number;
  perCpuSecond: number;
  p50: number;
  p99: number;
  errors: number;
  note?: string;
}
const rows: Row[] = [];
const servers: ChildProcess[] = [];

/** Starts a Node script as the server under test, on core 0; resolves once `ready` answers. */
async function startServer(
  script: string,
  env: Record<string, string>,
  readyPath: string,
  nodeFlags: string[] = [],
): Promise<{ proc: ChildProcess; url: string; coldStartMs: number }> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const node = [...nodeFlags, script];
  const args = HAS_TASKSET ? ['-c', '0', process.execPath, ...node] : node;
  const started = Date.now();
  const proc = spawn(HAS_TASKSET ? 'taskset' : process.execPath, args, {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  servers.push(proc);
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${script} exited with ${proc.exitCode}`);
    try {
      if ((await fetch(`${url}${readyPath}`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - started > 60_000) throw new Error(`${script} not ready after 60 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { proc, url, coldStartMs: Date.now() - started };
}

/** Server CPU time so far (user + system), in seconds. The real server is the child of taskset's exec. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s)
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return line ? Math.round(Number(line[1]) / 1024) : NaN;
}

type Options = autocannon.Options;
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Warm-up, then WINDOWS measured windows; records the medians. */
async function scenario(
  name: string,
  pid: number,
  setup: Options | (() => Promise<Options>),
  note?: string,
): Promise<Row> {
  const options = () => (typeof setup === 'function' ? setup() : Promise.resolve(setup));
  await autocannon({ ...(await options()), duration: 2 });
  const windows: Omit<Row, 'scenario'>[] = [];
  for (let i = 0; i < WINDOWS; i++) {
    const window = await options(); // outside the measured time
    const cpuBefore = cpuSeconds(pid);
    const result = await autocannon({ ...window, duration: SECONDS });
    const cpu = cpuSeconds(pid) - cpuBefore;
    const errors = result.non2xx + result.errors + result.timeouts;
    if (errors > 0)
      throw new Error(
        `${name}: ${errors} failed requests (non-2xx ${result.non2xx}) — not a result`,
      );
    windows.push({
      rps: result.requests.average,
      perCpuSecond: result.requests.total / Math.max(cpu, 0.01),
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors,
    });
  }
  const row: Row = {
    scenario: name,
    rps: median(windows.map((w) => w.rps)),
    perCpuSecond: median(windows.map((w) => w.perCpuSecond)),
    p50: median(windows.map((w) => w.p50)),
    p99: median(windows.map((w) => w.p99)),
    errors: 0,
    note,
  };
  rows.push(row);
  console.log(
    `${name.padEnd(44)} ${Math.round(row.rps).toString().padStart(7)} req/s ${Math.round(row.perCpuSecond).toString().padStart(7)} req/cpu-s  p50 ${row.p50} ms  p99 ${row.p99} ms${note ? `  (${note})` : ''}`,
  );
  return row;
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok)
    throw new Error(`${init?.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const post = (url: string, body: unknown) =>
  json<{ accessToken: string; refreshToken: string; user: { id: string } }>(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** The pid of the node process itself (taskset execs it, so the pid is the same). */
const pidOf = (proc: ChildProcess) => proc.pid!;

async function main(): Promise<void> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run through npm run bench`);
  const db = await startDevDatabase({ prefer: 'auto', log: () => undefined });
  const mongo = (name: string) => `${db.uri}/${name}`;
  // As deployed: production settings (JSON logs, no pretty-printing worker thread; indexes
  // synced at start), with the secrets production requires.
  const appEnv = (database: string, extra: Record<string, string> = {}) => ({
    NODE_ENV: 'production',
    PASSWORD_PEPPER: 'bench-pepper-bench-pepper-bench-pepper-0001',
    TOTP_ENCRYPTION_KEY: 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8M=',
    MONGO_URI: mongo(database),
    LOG_LEVEL: 'warn',
    LOGIN_EMAIL_OTP: 'false',
    RATE_LIMIT_AUTH: '100000000/1m',
    RATE_LIMIT_DEFAULT: '100000000/1m',
    LOCKOUT_THRESHOLD: '100',
    LOCKOUT_ACCOUNT_THRESHOLD: '100000',
    JWT_ACCESS_TTL: '1h',
    ADMIN_EMAIL: 'bench-admin@example.com',
    ADMIN_PASSWORD: PASSWORD,
    ...extra,
  });
  const extras: string[] = [];
  try {
    // --- the app, bcrypt ---------------------------------------------------------------------
    const app = await startServer(MAIN, appEnv('bench_app'), '/health/ready', NODE_FLAGS);
    extras.push(
      `cold start to ready: ${app.coldStartMs} ms (process spawn to /health/ready 200, empty database)`,
    );
    const pid = pidOf(app.proc);
    extras.push(`RSS at ready: ${rssMb(pid)} MB`);
    const admin = await post(`${app.url}/api/v1/auth/login`, {
      email: 'bench-admin@example.com',
      password: PASSWORD,
    });
    const auth = { authorization: `Bearer ${admin.accessToken}` };
    for (const connections of [16, 64])
      await scenario(`GET /users/me c${connections}`, pid, {
        url: `${app.url}/api/v1/users/me`,
        connections,
        headers: auth,
      });

    // Refresh: each connection rotates its own chain.
    // Refresh: 16 chains from fresh sign-ins per window (set up outside the measured time); a
    // request takes a chain's token from the pool and its answer puts the successor back, so each
    // chain is rotated strictly in turn (autocannon resets per-connection context on every
    // request, so the pool, not the context, carries the chains).
    const refreshLoad = async (): Promise<Options> => {
      const pool: string[] = [];
      for (let i = 0; i < 16; i++)
        pool.push(
          (
            await post(`${app.url}/api/v1/auth/login`, {
              email: 'bench-admin@example.com',
              password: PASSWORD,
            })
          ).refreshToken,
        );
      return {
        url: `${app.url}/api/v1/auth/refresh`,
        connections: 16,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            setupRequest: (request) => {
              const token = pool.shift();
              if (!token) throw new Error('refresh bench: no free chain');
              return { ...request, body: JSON.stringify({ refreshToken: token }) };
            },
            onResponse: (_status, body) => {
              pool.push((JSON.parse(body) as { refreshToken: string }).refreshToken);
            },
          },
        ],
      };
    };
    await scenario('POST /auth/refresh c16 (own chain each)', pid, refreshLoad);

    // Each sign-in load runs with /health/live probed alongside: 50 probes a second, a probe's pace (an
    // unpaced probe would be a second load taking the core from the logins it is there to watch).
    const probeLive = (url: string) =>
      autocannon({
        url: `${url}/health/live`,
        connections: 1,
        overallRate: 50,
        duration: SECONDS + 2,
      });
    const loginLoad = async (hash: string, label: string, url: string, server: number) => {
      const liveDuring = probeLive(url);
      await scenario(`POST /auth/login c8 (${label})`, server, {
        url: `${url}/api/v1/auth/login`,
        connections: 8,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'bench-admin@example.com', password: PASSWORD }),
      });
      const live = await liveDuring;
      extras.push(
        `GET /health/live during the ${hash} login load: p50 ${live.latency.p50} ms, p99 ${live.latency.p99} ms`,
      );
    };
    await loginLoad('bcrypt', 'bcrypt 11', app.url, pid);
    extras.push(`RSS after load (bcrypt app): ${rssMb(pid)} MB`);
    app.proc.kill('SIGTERM');

    // --- the app, argon2id at OWASP's 19 MiB t2 ------------------------------------------------
    const argon = await startServer(
      MAIN,
      appEnv('bench_argon', { PASSWORD_HASH: 'argon2id' }),
      '/health/ready',
      NODE_FLAGS,
    );
    await loginLoad('argon2id', 'argon2id 19 MiB t2', argon.url, pidOf(argon.proc));
    argon.proc.kill('SIGTERM');

    // --- ceilings: a bare Fastify process on the same core ------------------------------------
    const ceiling = await startServer(
      CEILING,
      { MONGO_URI: mongo('bench_app'), PASSWORD_PEPPER: '' },
      '/ready',
    );
    const cpid = pidOf(ceiling.proc);
    for (const connections of [16, 64])
      await scenario(`ceiling: Fastify + JWT + driver c${connections}`, cpid, {
        url: `${ceiling.url}/me`,
        connections,
        headers: auth,
      });
    for (const hash of ['bcrypt', 'argon2id', 'argon2id-slots'])
      await scenario(`ceiling: ${hash} verify c8`, cpid, {
        url: `${ceiling.url}/hash/${hash}`,
        connections: 8,
        method: 'POST',
      });
    ceiling.proc.kill('SIGTERM');
  } finally {
    for (const server of servers) if (server.exitCode === null) server.kill('SIGTERM');
    await db.stop();
  }

  const find = (name: string) => rows.find((r) => r.scenario === name);
  const ratio = (a?: Row, b?: Row) =>
    a && b ? (a.perCpuSecond / b.perCpuSecond).toFixed(2) : 'n/a';
  const ratios = [
    `GET /users/me vs ceiling (c64, per CPU-second): ${ratio(find('GET /users/me c64'), find('ceiling: Fastify + JWT + driver c64'))}`,
    `login bcrypt vs bcrypt ceiling: ${ratio(find('POST /auth/login c8 (bcrypt 11)'), find('ceiling: bcrypt verify c8'))}`,
    `login argon2id vs argon2id ceiling: ${ratio(find('POST /auth/login c8 (argon2id 19 MiB t2)'), find('ceiling: argon2id verify c8'))} (libuv's four threads); ${ratio(find('POST /auth/login c8 (argon2id 19 MiB t2)'), find('ceiling: argon2id-slots verify c8'))} (one hash per core at a time, as the app runs it)`,
  ];
  console.log(['', ...ratios, ...extras].join('\n'));
  writeResults(ratios, extras);
}

function writeResults(ratios: string[], extras: string[]): void {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
  } catch {
    /* not a checkout */
  }
  const table = [
    '| scenario | req/s | req per server CPU-s | p50 ms | p99 ms |',
    '|---|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${Math.round(r.rps)} | ${Math.round(r.perCpuSecond)} | ${r.p50} | ${r.p99} |`,
    ),
  ];
  const text = [
    '# Benchmark results: this API alone',
    '',
    `${new Date().toISOString().slice(0, 10)}, commit ${commit}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; server ${HAS_TASKSET ? 'pinned to core 0 (taskset)' : 'not pinned (no taskset)'}, NODE_ENV=production, node flags from the Dockerfile (${NODE_FLAGS.join(' ') || 'none'}), ${WINDOWS} × ${SECONDS} s windows after a warm-up, medians; development database (mongo-java-server).`,
    '',
    ...table,
    '',
    ...ratios.map((r) => `- ${r}`),
    ...extras.map((e) => `- ${e}`),
    '',
    'Written by `npm run bench` (bench/perf.bench.ts); the admin list at 100k users is in the `admin.bench` lines of the same run. Ratios to other servers are only in RESULTS.md, measured side by side in one session (`npm run bench:keycloak`).',
    '',
  ].join('\n');
  // Ours alone: the side-by-side ratios (npm run bench:keycloak) are kept in bench/RESULTS.md.
  writeFileSync(join(ROOT, 'bench', 'RESULTS-ours.md'), text);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
