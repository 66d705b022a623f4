import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { AppModule } from './app.module';
import { APP_OPTIONS, createAdapter, setRoutePrefix } from './app.setup';
import { buildOpenApiDocument } from './common/http/openapi';

/**
 * Writes the OpenAPI document the server serves at /docs-json, without starting it: Nest's
 * preview mode builds the module graph but no provider, so no database is needed.
 *   node dist/openapi.js [file]   (stdout without a file)
 */
async function exportDocument(file?: string): Promise<void> {
  const app = await NestFactory.create(AppModule, createAdapter(false), {
    ...APP_OPTIONS,
    preview: true,
    logger: false,
    abortOnError: false,
  });
  setRoutePrefix(app);
  const json = `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
  if (file) writeFileSync(file, json);
  else process.stdout.write(json);
  await app.close();
}

exportDocument(process.argv[2]).catch((error: unknown) => {
  console.error(
    'could not build the OpenAPI document:',
    error instanceof Error ? error.message : error,
  );
  process.exit(1);
});
