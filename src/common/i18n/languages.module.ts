import { Global, Module } from '@nestjs/common';
import { I18nModule } from 'nestjs-i18n';
import { join } from 'node:path';
import { Translator } from './translator';

/**
 * The catalogues under `src/i18n/` (copied to `dist/i18n` by the build), loaded once. No
 * middleware and no resolvers: the language of a response is decided by the problem filter
 * (Accept-Language, then the user's locale), that of a mail by its recipient's locale.
 */
@Global()
@Module({
  imports: [
    I18nModule.forRoot({
      fallbackLanguage: 'en',
      loaderOptions: { path: join(__dirname, '..', '..', 'i18n'), watch: false },
      disableMiddleware: true,
      logging: false,
    }),
  ],
  providers: [Translator],
  exports: [Translator],
})
export class LanguagesModule {}
