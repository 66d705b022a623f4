import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../src/app.module';
import { APP_OPTIONS, configureApp, createAdapter } from '../src/app.setup';
import { PasswordHasher } from '../src/users/password-hasher';
import { UsersService } from '../src/users/users.service';

export const BENCH_PASSWORD = 'bench password long enough';

/** The real app on the development database, with limits out of the way; figures only. */
export async function startBenchApp(
  env: Record<string, string> = {},
): Promise<{ app: NestFastifyApplication; url: string }> {
  Object.assign(process.env, {
    LOG_LEVEL: 'silent',
    LOGIN_EMAIL_OTP: 'false',
    BCRYPT_COST: '4',
    RATE_LIMIT_AUTH: '100000000/1m',
    RATE_LIMIT_DEFAULT: '100000000/1m',
    ...env,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createAdapter(false), {
    ...APP_OPTIONS,
    logger: false,
  });
  await configureApp(app);
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

/** An active, verified account to sign in with. */
export async function createBenchUser(app: NestFastifyApplication, email: string): Promise<void> {
  const passwordHash = await app.get(PasswordHasher).hash(BENCH_PASSWORD);
  await app
    .get(UsersService)
    .create({ email, passwordHash, status: 'active', emailVerifiedAt: new Date() });
}

export function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
