// First, so that every module after it loads through the compile cache.
import './compile-cache';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { resolve } from 'node:path';
import { AppModule } from './app.module';
import { APP_OPTIONS, configureApp, createAdapter } from './app.setup';
import { appConfig, AppConfig } from './config/configuration';
import { connectRedis } from './cluster/redis';
import { GracefulShutdown } from './common/lifecycle/shutdown';
import { ConfigValidationError, parseEnv } from './config/env';
import { loadEnvFile } from './config/env-file';
import { readyBlock, readyInfo } from './ready';

/**
 * Starts the API. Every failure before it listens rejects with an error whose message is all a
 * person needs (bad configuration, MongoDB unreachable, the development database in use), and
 * main prints that one message: Nest's own report of it (a stack trace) stays in the log buffer.
 */
export async function bootstrap(
  envFile = resolve(process.cwd(), '.env'),
): Promise<NestFastifyApplication> {
  const started = Date.now();
  loadEnvFile(envFile);
  // Validate before anything starts, so bad configuration (shell or .env) stops us with a message naming it.
  const env = parseEnv(process.env);
  // Redis before anything else opens: a start that fails on it leaves no database connection behind.
  if (env.redis.url) await (await connectRedis(env.redis.url)).quit();
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule,
    createAdapter(env.app.trustProxy),
    {
      ...APP_OPTIONS,
      bufferLogs: true,
      // Rethrow start-up errors to us (instead of printing a stack trace and exiting), and print
      // the buffered start-up lines only once our logger is in place.
      abortOnError: false,
      autoFlushLogs: false,
    },
  );
  await configureApp(app);
  const config = app.get<AppConfig>(appConfig.KEY);
  await app.listen(config.port, '0.0.0.0');
  // Only now: a port in use fails the listen above, and Nest's own lines about it ("successfully
  // started", then its ERROR) stay in the buffer, leaving the one line main prints.
  app.flushLogs();
  new GracefulShutdown(app, {
    drainMs: config.shutdownDrainMs,
    timeoutMs: config.shutdownTimeoutMs,
  }).listen();
  // Through the logger, so it lands after the start-up lines (pretty logs go through a worker).
  new Logger('Main').log(readyBlock(readyInfo(app), Date.now() - started));
  return app;
}

/** The one message a failed start prints. */
export function startupFailure(error: unknown): string {
  if (error instanceof ConfigValidationError) return error.message;
  const { code, port } = (error ?? {}) as { code?: string; port?: number };
  if (code === 'EADDRINUSE')
    return `start-up failed: port ${port} is in use by another program: stop it, or set PORT`;
  return `start-up failed: ${error instanceof Error ? error.message : String(error)}`;
}

if (require.main === module) {
  bootstrap().catch((error: unknown) => {
    console.error(startupFailure(error));
    process.exit(1);
  });
}
