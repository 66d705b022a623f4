import { Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule } from '@nestjs/config';
import { allConfig } from './configuration';

/**
 * Registers the typed namespaces. Validation happens before Nest starts: main.ts loads `.env`
 * (see env-file.ts) and runs `parseEnv`, so a bad value, in the shell or in `.env`, stops the start
 * with one message naming it. (Each namespace parses the same environment, so an app built
 * without main.ts, as in the tests, still refuses bad configuration.) ConfigModule reads no `.env`
 * of its own: tests and tools never pick up a developer's file.
 */
@Module({
  imports: [
    NestConfigModule.forRoot({ isGlobal: true, cache: true, ignoreEnvFile: true, load: allConfig }),
  ],
})
export class AppConfigModule {}
