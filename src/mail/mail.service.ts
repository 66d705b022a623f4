import { Inject, Injectable, Logger } from '@nestjs/common';
import { BackgroundWork } from '../common/background/background-work';
import { appConfig, AppConfig, mailConfig, MailConfig } from '../config/configuration';
import { MailTemplates } from './mail-templates';
import { MailTransport } from './mail-transport';

export interface Mail {
  to: string;
  subject: string;
  /** A template in `templates/` (without `.hbs`) for the HTML part. */
  template: string;
  /** The plain-text part. */
  text: string;
  /** The template's values; a `code` (one-time code) is also shown first in a logged mail. */
  context: Record<string, unknown>;
}

export interface MailStats {
  sent: number;
  failed: number;
}

/**
 * Sends every mail of the service; one typed method per kind lives with the feature that needs
 * it (as a thin wrapper over `send`). Without SMTP_URL, mails go to the log (outside production).
 * A failure never leaves this class: it is logged and counted.
 */
@Injectable()
export class MailService {
  private readonly logger = new Logger('Mail');
  private readonly counts: MailStats = { sent: 0, failed: 0 };

  constructor(
    private readonly mailer: MailTransport,
    private readonly templates: MailTemplates,
    @Inject(mailConfig.KEY) private readonly config: MailConfig,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    private readonly background: BackgroundWork,
  ) {}

  /** Sends in the background: the caller's response never waits for (or reveals) delivery. */
  send(mail: Mail): void {
    this.background.run(`mail:${mail.template}`, () => this.deliver(mail));
  }

  /** Renders and sends; resolves either way (a failure is logged and counted). */
  async deliver(mail: Mail): Promise<void> {
    try {
      const html = await this.templates.render(mail.template, mail.context);
      // Without SMTP_URL the log is the delivery: nodemailer's JSON rendering of the message
      // (a MIME build per mail) would be thrown away.
      if (this.config.smtpUrl)
        await this.mailer.sendMail({ to: mail.to, subject: mail.subject, text: mail.text, html });
      else this.logger.log(this.logBlock(mail));
      this.counts.sent += 1;
    } catch (err) {
      this.counts.failed += 1;
      this.logger.error(
        { err, template: mail.template, failed: this.counts.failed },
        'mail delivery failed',
      );
    }
  }

  /** Mails sent and failed since start. */
  stats(): MailStats {
    return { ...this.counts };
  }

  /**
   * A mail as one log entry: a header line with the recipient, the subject and the code (easy to
   * spot), then the plain text indented beneath. Production without SMTP_URL logs the header
   * only, without the code.
   */
  private logBlock(mail: Mail): string {
    const header = `mail to ${mail.to}: "${mail.subject}"`;
    if (this.app.production) return `${header} (not delivered: set SMTP_URL)`;
    const code = typeof mail.context.code === 'string' ? `  code ${mail.context.code}` : '';
    const body = mail.text.split('\n').map((line) => (line === '' ? '' : `    ${line}`));
    return [`${header}${code}`, ...body].join('\n');
  }
}
