import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { I18nModule, I18nResolver } from 'nestjs-i18n';
import { join } from 'node:path';
import { Translator } from './translator';

/**
 * nestjs-i18n's per-request language, which nothing here reads: always the fallback. Given as a
 * resolver so the module is configured rather than warned about ("No resolvers provided", on
 * every start).
 */
const FALLBACK_ONLY: I18nResolver = { resolve: () => undefined };

/**
 * nestjs-i18n registers a global interceptor that resolves that language and runs the rest of
 * every request inside an AsyncLocalStorage context (an rxjs Observable per request). Nothing
 * reads that context (`I18nContext.current()`): every translation names its language. Without
 * it, no route has an interceptor, and Nest calls the handler directly, without rxjs.
 */
function withoutLanguageInterceptor(module: DynamicModule): DynamicModule {
  const isInterceptor = (provider: Provider) =>
    typeof provider === 'object' && 'provide' in provider && provider.provide === APP_INTERCEPTOR;
  return { ...module, providers: module.providers?.filter((p) => !isInterceptor(p)) };
}

/**
 * The catalogues under `src/i18n/` (copied to `dist/i18n` by the build), loaded once. No
 * middleware and no per-request language: the language of a response is decided by the problem
 * filter (Accept-Language, then the user's locale), that of a mail by its recipient's locale.
 */
@Global()
@Module({
  imports: [
    withoutLanguageInterceptor(
      I18nModule.forRoot({
        fallbackLanguage: 'en',
        loaderOptions: { path: join(__dirname, '..', '..', 'i18n'), watch: false },
        disableMiddleware: true,
        resolvers: [FALLBACK_ONLY],
        logging: false,
      }),
    ),
  ],
  providers: [Translator],
  exports: [Translator],
})
export class LanguagesModule {}
