/**
 * The admin list at scale and the per-page-load read, as figures (nothing here fails):
 * - seeds 100,000 users (BENCH_USERS to change it) into the development database;
 * - times GET /admin/users (first page, page 2,000, a search) through the app and the same
 *   queries through the raw driver on the same server in the same run: p50/p99 and the ratio
 *   (the app's own overhead; the development database does not use indexes for sorts, so its
 *   absolute times say nothing about a real MongoDB);
 * - GET /users/me at 64 connections beside a raw ceiling: bare Fastify verifying the same JWT
 *   and answering a cached user (no framework, no database).
 */
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { verify } from 'jsonwebtoken';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { literalPrefix } from '../src/common/escape-regex';
import { VerifiedTokens } from '../src/auth/tokens/verified-tokens';
import { SigningKeys } from '../src/signing-keys/signing-keys.service';
import { PasswordHasher } from '../src/users/password-hasher';
import { seedUsers } from './seed-users';
import { BENCH_PASSWORD, createBenchUser, postJson, startBenchApp } from './support';

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 20);
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 5);

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function time(run: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  await run(); // warm
  const ms: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = process.hrtime.bigint();
    await run();
    ms.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { p50: quantile(ms, 0.5), p99: quantile(ms, 0.99) };
}

async function main(): Promise<void> {
  const { app, url } = await startBenchApp();
  const db = app.get<Connection>(getConnectionToken()).db!;
  const seeded = Date.now();
  await seedUsers(db, USERS, await app.get(PasswordHasher).hash(BENCH_PASSWORD));
  console.log(`seeded ${USERS} users in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);

  const email = `bench-admin-${Date.now()}@example.com`;
  await createBenchUser(app, email);
  await db.collection('users').updateOne({ email }, { $set: { role: 'admin' } });
  const pair = (await (
    await postJson(`${url}/api/v1/auth/login`, { email, password: BENCH_PASSWORD })
  ).json()) as { accessToken: string };
  const auth = { authorization: `Bearer ${pair.accessToken}` };

  const users = db.collection('users');
  // The same query the app sends, projection included (the schema never selects the hash).
  const projection = { passwordHash: 0, nameKeys: 0 };
  const raw = async (filter: object, sort: Record<string, 1 | -1>, page: number) =>
    Promise.all([
      users
        .find(filter, { projection })
        .sort(sort)
        .skip((page - 1) * 20)
        .limit(20)
        .toArray(),
      users.countDocuments(filter),
    ]);
  const search = literalPrefix('grace hop');
  const cases: [string, string, () => Promise<unknown>][] = [
    ['first page', '', () => raw({ deletingAt: null }, { createdAt: -1, _id: -1 }, 1)],
    ['page 2,000', 'page=2000', () => raw({ deletingAt: null }, { createdAt: -1, _id: -1 }, 2000)],
    [
      'search "grace hop"',
      'search=grace%20hop',
      () =>
        raw(
          {
            deletingAt: null,
            $or: [{ email: search }, { username: search }, { nameKeys: search }],
          },
          { createdAt: -1, _id: -1 },
          1,
        ),
    ],
  ];
  console.log(`GET /admin/users at ${USERS} users, ${SAMPLES} sequential samples each:`);
  for (const [name, query, rawRun] of cases) {
    const viaApp = await time(async () => {
      const res = await fetch(`${url}/api/v1/admin/users?limit=20&${query}`, { headers: auth });
      if (res.status !== 200) throw new Error(`${name}: ${res.status}`);
      await res.arrayBuffer();
    });
    const viaDriver = await time(rawRun);
    console.log(
      `  ${name.padEnd(20)} app p50 ${viaApp.p50.toFixed(1)} ms p99 ${viaApp.p99.toFixed(1)} ms | driver p50 ${viaDriver.p50.toFixed(1)} ms p99 ${viaDriver.p99.toFixed(1)} ms | ratio p50 ${(viaApp.p50 / viaDriver.p50).toFixed(2)}x`,
    );
  }

  const me = await autocannon({
    url: `${url}/api/v1/users/me`,
    connections: 64,
    duration: DURATION_S,
    headers: auth,
  });
  // The ceiling verifies as the app does: ES256 by kid, a token verified once remembered.
  const publicKey = app.get(SigningKeys).verifierFor(pair.accessToken)!;
  const verified = new VerifiedTokens<unknown>(10_000);
  await app.close();

  const ceiling = Fastify();
  const cached = JSON.stringify({
    id: 'x',
    email,
    role: 'admin',
    status: 'active',
    permissions: [],
  });
  ceiling.get('/me', async (request, reply) => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    if (!verified.get(token))
      verified.set(token, '', verify(token, publicKey, { algorithms: ['ES256'] }));
    return reply.type('application/json').send(cached);
  });
  const ceilingUrl = await ceiling.listen({ port: 0, host: '127.0.0.1' });
  const bare = await autocannon({
    url: `${ceilingUrl}/me`,
    connections: 64,
    duration: DURATION_S,
    headers: auth,
  });
  await ceiling.close();
  console.log(
    `GET /users/me, 64 connections: ${Math.round(me.requests.average)} req/s (non-2xx ${me.non2xx}); raw Fastify + JWT ceiling ${Math.round(bare.requests.average)} req/s; ratio ${(me.requests.average / bare.requests.average).toFixed(2)}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
