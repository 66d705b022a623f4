import { MailerModule, MailerOptions } from '@nestjs-modules/mailer';
import { Module } from '@nestjs/common';
import { mailConfig, MailConfig } from '../config/configuration';
import { MailTemplates } from './mail-templates';
import { MailService } from './mail.service';
import { NotificationsListener } from './notifications.listener';

@Module({
  imports: [
    MailerModule.forRootAsync({
      // Required only by the mailer's typings on NestJS 12: they take ModuleMetadata from
      // '@nestjs/common/interfaces', which Nest 12 no longer exports (cf. nestjs/throttler#2671).
      imports: [],
      inject: [mailConfig.KEY],
      // Transport only: MailTemplates renders the HTML (see there why not the mailer's adapter).
      useFactory: (config: MailConfig): MailerOptions => ({
        // Without SMTP_URL, nodemailer renders the message to JSON and MailService logs it.
        transport: config.smtpUrl ?? { jsonTransport: true },
        defaults: { from: config.from } as MailerOptions['defaults'],
      }),
    }),
  ],
  providers: [MailService, MailTemplates, NotificationsListener],
  exports: [MailService],
})
export class MailModule {}
