import { Module } from '@nestjs/common';
import { MailTemplates } from './mail-templates';
import { MailTransport } from './mail-transport';
import { MailService } from './mail.service';
import { NotificationsListener } from './notifications.listener';

/** Mails: rendering, sending (the transport loads on the first mail) and the notices. */
@Module({
  providers: [MailService, MailTemplates, MailTransport, NotificationsListener],
  exports: [MailService],
})
export class MailModule {}
