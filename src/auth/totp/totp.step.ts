import { Injectable } from '@nestjs/common';
import { DomainEvents, RequestOrigin } from '../../common/events/domain-event';
import { UserDto } from '../../users/dto/user.dto';
import { invalidOtp } from '../otp/otp.service';
import { SecondStep, SecondStepAnswer } from '../second-steps/second-step';
import { TotpService } from './totp.service';

/**
 * The authenticator app as a second step, after a password or a provider's sign-in alike: a
 * code from the app or an unused recovery code, bound to the sign-in attempt.
 */
@Injectable()
export class TotpStep implements SecondStep {
  readonly name = 'totp';

  constructor(
    private readonly totp: TotpService,
    private readonly events: DomainEvents,
  ) {}

  follows(): boolean {
    return true;
  }

  has(user: UserDto): Promise<boolean> {
    return this.totp.isEnabled(user.id);
  }

  /**
   * Binds the next code to this attempt, so the mfaToken works once. TOTP turned off in between
   * binds nothing: the check then refuses (the step is no longer current).
   */
  async begin(user: UserDto, attemptId: string): Promise<void> {
    await this.totp.beginLogin(user.id, attemptId);
  }

  /** Answers which completed the step; a recovery code used is told to its owner. */
  async check(
    user: UserDto,
    attemptId: string,
    answer: SecondStepAnswer,
    origin: RequestOrigin,
  ): Promise<'totp' | 'recovery_code'> {
    if (typeof answer !== 'string') throw invalidOtp();
    const check = await this.totp.use(user.id, answer, { recovery: true, attemptId });
    if (!check.ok) throw invalidOtp(check.guess);
    if (check.method === 'recovery_code') {
      this.events.emit('auth.totp.recovery_code_used', {
        actorId: user.id,
        targetType: 'user',
        targetId: user.id,
        ...origin,
        outcome: 'success',
        details: { remaining: check.remaining },
        notify: { email: user.email, locale: user.locale },
      });
    }
    return check.method;
  }
}
