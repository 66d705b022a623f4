import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { MailModule } from '../../mail/mail.module';
import { AuthMails } from './auth-mails';
import { EmailOtpStep } from './email-otp.step';
import { Otp, OtpSchema } from './otp.schema';
import { OtpService } from './otp.service';
import { PurgeExpiredOtpsJob } from './purge-expired-otps.job';

/** One-time codes for every purpose, their mails, their purge, and the emailed second step. */
@Module({
  imports: [MongooseModule.forFeature([{ name: Otp.name, schema: OtpSchema }]), MailModule],
  providers: [OtpService, AuthMails, EmailOtpStep, PurgeExpiredOtpsJob],
  exports: [OtpService, AuthMails, EmailOtpStep],
})
export class OtpModule {}
