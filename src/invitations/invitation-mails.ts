import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_LOCALE, Locale } from '../common/i18n/locales';
import { Translator } from '../common/i18n/translator';
import { usersConfig, UsersConfig } from '../config/configuration';
import { MailService } from '../mail/mail.service';

const DAY_MS = 86_400_000;

/** The invitation mail: the code template of the other code mails, with the expiry in days. */
@Injectable()
export class InvitationMails {
  constructor(
    private readonly mail: MailService,
    private readonly translator: Translator,
    @Inject(usersConfig.KEY) private readonly config: UsersConfig,
  ) {}

  send(to: string, code: string, lang: Locale = DEFAULT_LOCALE): void {
    const t = (key: string, args?: Record<string, number>) =>
      this.translator.t(lang, `mails.code.${key}`, args);
    const subject = t('invitation.subject');
    const intro = t('invitation.intro');
    const days = Math.max(1, Math.round(this.config.invitationTtlMs / DAY_MS));
    const expires = t('invitation_expires', { days });
    this.mail.send({
      to,
      subject,
      template: 'code',
      text: `${intro}\n\n${code}\n\n${expires}`,
      context: { intro, code, expires, lang },
    });
  }
}
