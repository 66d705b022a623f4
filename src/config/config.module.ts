import { Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule } from '@nestjs/config';
import { allConfig } from './configuration';
import { parseEnv } from './env';

/** Loads `.env` (if present), validates every variable once at boot, and registers the namespaces. */
@Module({
  imports: [
    NestConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      load: allConfig,
      validate: (raw) => {
        parseEnv(raw as Record<string, string | undefined>);
        return raw;
      },
    }),
  ],
})
export class AppConfigModule {}
