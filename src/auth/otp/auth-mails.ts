import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_LOCALE, Locale } from '../../common/i18n/locales';
import { Translator } from '../../common/i18n/translator';
import { otpConfig, OtpConfig } from '../../config/configuration';
import { MailService } from '../../mail/mail.service';
import { OtpPurpose } from './otp.schema';

/** The one-time-code mails, one per purpose, in the recipient's language. */
@Injectable()
export class AuthMails {
  constructor(
    private readonly mail: MailService,
    private readonly translator: Translator,
    @Inject(otpConfig.KEY) private readonly otp: OtpConfig,
  ) {}

  sendCode(to: string, purpose: OtpPurpose, code: string, lang: Locale = DEFAULT_LOCALE): void {
    const t = (key: string, args?: Record<string, number>) =>
      this.translator.t(lang, `mails.code.${key}`, args);
    const subject = t(`${purpose}.subject`);
    const intro = t(`${purpose}.intro`);
    const expires = t('expires', { minutes: Math.round(this.otp.ttlMs / 60_000) });
    this.mail.send({
      to,
      subject,
      template: 'code',
      text: `${intro}\n\n${code}\n\n${expires}`,
      context: { intro, code, expires, lang },
    });
  }
}
