/**
 * Prints req/s for the authenticated hot path (GET /api/v1/sessions with a bearer token: JWT
 * check plus the cached session check) and for POST /auth/refresh, against the real app on the
 * development database. Figures only; nothing here fails on a slow machine.
 *   npx ts-node is not needed: `npm run bench` compiles with the project's tsc first.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import autocannon from 'autocannon';
import { AppModule } from '../src/app.module';
import { configureApp, createAdapter } from '../src/app.setup';
import { PasswordHasher } from '../src/users/password-hasher';
import { UsersService } from '../src/users/users.service';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 5);

async function main(): Promise<void> {
  Object.assign(process.env, {
    LOG_LEVEL: 'silent',
    LOGIN_EMAIL_OTP: 'false',
    BCRYPT_COST: '4',
    RATE_LIMIT_AUTH: '100000000/1m',
    RATE_LIMIT_DEFAULT: '100000000/1m',
    JWT_ACCESS_SECRET: 'bench-secret-bench-secret-bench-secret-000',
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createAdapter(false), { logger: false });
  await configureApp(app);
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const email = `bench-${Date.now()}@example.com`;
  const password = 'bench password long enough';
  await app.get(UsersService).create({ email, passwordHash: await app.get(PasswordHasher).hash(password), status: 'active', emailVerifiedAt: new Date() });
  const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const pair = (await login.json()) as { accessToken: string; refreshToken: string };

  const me = await autocannon({ url: `${url}/api/v1/sessions`, connections: 32, duration: DURATION_S, headers: { authorization: `Bearer ${pair.accessToken}` } });
  console.log(`authenticated GET /sessions: ${Math.round(me.requests.average)} req/s (non-2xx: ${me.non2xx})`);

  // Refresh rotates, so each request needs the token the previous one returned: one chain per connection.
  let refreshed = 0;
  const until = Date.now() + DURATION_S * 1000;
  let token = pair.refreshToken;
  while (Date.now() < until) {
    const res = await fetch(`${url}/api/v1/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: token }) });
    token = ((await res.json()) as { refreshToken: string }).refreshToken;
    refreshed++;
  }
  console.log(`sequential POST /auth/refresh (one client, one chain): ${Math.round(refreshed / DURATION_S)} req/s`);
  console.log('reference (their machines, one core): Keycloak userinfo 3,558/s; Better Auth get-session 831/s');
  await app.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
