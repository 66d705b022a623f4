import { Inject, Injectable } from '@nestjs/common';
import { loginConfig, LoginConfig } from '../../config/configuration';
import { UserDto } from '../../users/dto/user.dto';
import { FirstFactor, SecondStep, SecondStepAnswer } from '../second-steps/second-step';
import { AuthMails } from './auth-mails';
import { invalidOtp, OtpService } from './otp.service';

/**
 * The emailed code after a password (LOGIN_EMAIL_OTP): every account has an address, so every
 * account has this step. Not after a provider's sign-in: the provider's own sign-in verified the
 * address already.
 */
@Injectable()
export class EmailOtpStep implements SecondStep {
  readonly name = 'email_otp';

  constructor(
    private readonly otps: OtpService,
    private readonly mails: AuthMails,
    @Inject(loginConfig.KEY) private readonly config: LoginConfig,
  ) {}

  follows(firstFactor: FirstFactor): boolean {
    return firstFactor === 'password' && this.config.emailOtp;
  }

  has(): Promise<boolean> {
    return Promise.resolve(true);
  }

  /** A new code bound to the attempt, past the resend cooldown: each password step mails one. */
  async begin(user: UserDto, attemptId: string): Promise<void> {
    const code = (await this.otps.issue(user.id, 'login', { force: true, attemptId }))!;
    this.mails.sendCode(user.email, 'login', code, user.locale);
  }

  async check(user: UserDto, attemptId: string, answer: SecondStepAnswer): Promise<'email_otp'> {
    if (typeof answer !== 'string') throw invalidOtp();
    await this.otps.consume(user.id, 'login', answer, attemptId);
    return 'email_otp';
  }
}
