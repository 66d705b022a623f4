import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { configureApp, createAdapter } from './app.setup';
import { appConfig, AppConfig } from './config/configuration';
import { ConfigValidationError, parseEnv } from './config/env';

async function bootstrap(): Promise<void> {
  const started = Date.now();
  // Validate before anything starts, so bad configuration stops us with a message naming it.
  const env = parseEnv(process.env);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule,
    createAdapter(env.app.trustProxy),
    {
      bufferLogs: true,
    },
  );
  await configureApp(app);
  const config = app.get<AppConfig>(appConfig.KEY);
  await app.listen(config.port, '0.0.0.0');
  // Through the logger, so it lands after the start-up lines (pretty logs go through a worker).
  new Logger('Main').log(
    `listening on http://localhost:${config.port} (docs at /docs) after ${Date.now() - started} ms`,
  );
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigValidationError) {
    console.error(error.message);
  } else {
    console.error('start-up failed:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
