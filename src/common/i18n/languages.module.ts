import { Global, Module } from '@nestjs/common';
import { I18nModule, I18nResolver } from 'nestjs-i18n';
import { join } from 'node:path';
import { Translator } from './translator';

/**
 * nestjs-i18n's per-request language, which nothing here reads: always the fallback. Given as a
 * resolver so the module is configured rather than warned about ("No resolvers provided", on
 * every start); it costs its interceptor one synchronous call per request.
 */
const FALLBACK_ONLY: I18nResolver = { resolve: () => undefined };

/**
 * The catalogues under `src/i18n/` (copied to `dist/i18n` by the build), loaded once. No
 * middleware and no per-request language: the language of a response is decided by the problem
 * filter (Accept-Language, then the user's locale), that of a mail by its recipient's locale.
 */
@Global()
@Module({
  imports: [
    I18nModule.forRoot({
      fallbackLanguage: 'en',
      loaderOptions: { path: join(__dirname, '..', '..', 'i18n'), watch: false },
      disableMiddleware: true,
      resolvers: [FALLBACK_ONLY],
      logging: false,
    }),
  ],
  providers: [Translator],
  exports: [Translator],
})
export class LanguagesModule {}
