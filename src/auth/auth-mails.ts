import { Inject, Injectable } from '@nestjs/common';
import { otpConfig, OtpConfig } from '../config/configuration';
import { MailService } from '../mail/mail.service';
import { OtpPurpose } from './otp/otp.schema';

const CODE_MAILS: Record<OtpPurpose, { subject: string; intro: string }> = {
  verify_email: {
    subject: 'Your verification code',
    intro: 'Use this code to verify your email address:',
  },
  login: { subject: 'Your sign-in code', intro: 'Use this code to finish signing in:' },
  reset_password: {
    subject: 'Your password reset code',
    intro: 'Use this code to reset your password:',
  },
};

/** The one-time-code mails, one per purpose. */
@Injectable()
export class AuthMails {
  constructor(
    private readonly mail: MailService,
    @Inject(otpConfig.KEY) private readonly otp: OtpConfig,
  ) {}

  sendCode(to: string, purpose: OtpPurpose, code: string): void {
    const { subject, intro } = CODE_MAILS[purpose];
    const minutes = Math.round(this.otp.ttlMs / 60_000);
    this.mail.send({
      to,
      subject,
      template: 'code',
      text: `${intro}\n\n${code}\n\nThe code expires in ${minutes} minutes. If you did not ask for it, you can ignore this mail.`,
      context: { intro, code, minutes },
    });
  }
}
