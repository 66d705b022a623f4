/**
 * The admin export at scale, as figures (nothing here fails): seeds BENCH_USERS users (100,000
 * by default) into the development database, then streams GET /admin/users/export through the
 * app and reads it line by line, printing the time, the lines, the bytes and the process's peak
 * RSS before and after (app and reader share the process, so the peak covers both). A constant
 * memory export keeps the peak close to the one before the export, whatever the user count.
 *
 *   npx tsc -p tsconfig.bench.json && cp -r src/mail/templates dist-bench/src/mail/ &&
 *   cp -r src/i18n dist-bench/src/ && BENCH_USERS=100000 node dist-bench/bench/export.bench.js
 */
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { PasswordHasher } from '../src/users/password-hasher';
import { seedUsers } from './seed-users';
import { BENCH_PASSWORD, createBenchUser, postJson, startBenchApp } from './support';

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
/** Peak resident set of this process so far (maxRSS is in KiB). */
const peakRss = () => process.resourceUsage().maxRSS * 1024;

async function main(): Promise<void> {
  // Seeding writes 5,000 users a batch: more than the 5 s deadline a request gets on a busy
  // development database.
  const { app, url } = await startBenchApp({ MONGO_OPERATION_TIMEOUT: '120s' });
  const db = app.get<Connection>(getConnectionToken()).db!;
  // The development database keeps its data between runs: start from no seeded user.
  await db.collection('users').deleteMany({ email: /^seed-\d+@example\.com$/ });
  const seeded = Date.now();
  await seedUsers(db, USERS, await app.get(PasswordHasher).hash(BENCH_PASSWORD));
  console.log(`seeded ${USERS} users in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);

  const email = `bench-export-${Date.now()}@example.com`;
  await createBenchUser(app, email);
  await db.collection('users').updateOne({ email }, { $set: { role: 'admin' } });
  const pair = (await (
    await postJson(`${url}/api/v1/auth/login`, { email, password: BENCH_PASSWORD })
  ).json()) as { accessToken: string };

  global.gc?.();
  const before = peakRss();
  const start = process.hrtime.bigint();
  const response = await fetch(`${url}/api/v1/admin/users/export`, {
    headers: { authorization: `Bearer ${pair.accessToken}` },
  });
  if (!response.ok || !response.body) throw new Error(`export answered ${response.status}`);
  let lines = 0;
  let bytes = 0;
  for await (const chunk of response.body) {
    bytes += chunk.byteLength;
    for (const byte of chunk) if (byte === 10) lines += 1;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(
    `export: ${lines} lines, ${mib(bytes)} in ${seconds.toFixed(1)} s ` +
      `(${Math.round(lines / seconds)} users/s); peak RSS ${mib(before)} before, ${mib(peakRss())} after`,
  );
  await app.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
