/**
 * Prints req/s for the authenticated hot path (GET /api/v1/sessions with a bearer token: JWT
 * check plus the cached session check) and for POST /auth/refresh, against the real app on the
 * development database. Figures only; nothing here fails on a slow machine.
 *   npx ts-node is not needed: `npm run bench` compiles with the project's tsc first.
 */
import autocannon from 'autocannon';
import { BENCH_PASSWORD, createBenchUser, postJson, startBenchApp } from './support';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 5);

async function main(): Promise<void> {
  const { app, url } = await startBenchApp();
  const email = `bench-${Date.now()}@example.com`;
  await createBenchUser(app, email);
  const login = await postJson(`${url}/api/v1/auth/login`, { email, password: BENCH_PASSWORD });
  const pair = (await login.json()) as { accessToken: string; refreshToken: string };

  const me = await autocannon({
    url: `${url}/api/v1/sessions`,
    connections: 32,
    duration: DURATION_S,
    headers: { authorization: `Bearer ${pair.accessToken}` },
  });
  console.log(
    `authenticated GET /sessions: ${Math.round(me.requests.average)} req/s (non-2xx: ${me.non2xx})`,
  );

  // Refresh rotates, so each request needs the token the previous one returned: one chain per connection.
  let refreshed = 0;
  const until = Date.now() + DURATION_S * 1000;
  let token = pair.refreshToken;
  while (Date.now() < until) {
    const res = await postJson(`${url}/api/v1/auth/refresh`, { refreshToken: token });
    token = ((await res.json()) as { refreshToken: string }).refreshToken;
    refreshed++;
  }
  console.log(
    `sequential POST /auth/refresh (one client, one chain): ${Math.round(refreshed / DURATION_S)} req/s`,
  );
  await app.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
