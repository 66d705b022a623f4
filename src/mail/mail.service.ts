import { MailerService } from '@nestjs-modules/mailer';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { BackgroundWork } from '../common/background/background-work';
import { appConfig, AppConfig, mailConfig, MailConfig } from '../config/configuration';

export interface Mail {
  to: string;
  subject: string;
  /** A template in `templates/` (without `.hbs`) for the HTML part. */
  template: string;
  /** The plain-text part. */
  text: string;
  context: Record<string, unknown>;
}

/**
 * Sends every mail of the service; one typed method per kind lives with the feature that needs
 * it (as a thin wrapper over `send`). Without SMTP_URL, mails go to the log (outside production).
 */
@Injectable()
export class MailService {
  private readonly logger = new Logger('Mail');

  constructor(
    private readonly mailer: MailerService,
    @Inject(mailConfig.KEY) private readonly config: MailConfig,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    private readonly background: BackgroundWork,
  ) {}

  /** Sends in the background: the caller's response never waits for (or reveals) delivery. */
  send(mail: Mail): void {
    this.background.run(`mail:${mail.template}`, () => this.deliver(mail));
  }

  async deliver(mail: Mail): Promise<void> {
    try {
      await this.mailer.sendMail({ to: mail.to, subject: mail.subject, template: mail.template, text: mail.text, context: mail.context });
      if (!this.config.smtpUrl) {
        const body = this.app.production ? '(set SMTP_URL to deliver mail)' : mail.text;
        this.logger.log(`mail to ${mail.to}: ${mail.subject}\n${body}`);
      }
    } catch (err) {
      this.logger.error({ err, template: mail.template }, 'mail delivery failed');
    }
  }
}
