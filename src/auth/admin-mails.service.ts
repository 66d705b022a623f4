import { Injectable } from '@nestjs/common';
import { conflict, notFound } from '../common/errors/domain.exception';
import { DomainEvents, RequestOrigin } from '../common/events/domain-event';
import { UsersService } from '../users/users.service';
import { AuthMails } from './otp/auth-mails';
import { OtpService } from './otp/otp.service';

/** The codes an admin sends a user from the console: a password reset, a new verification code. */
@Injectable()
export class AdminMailsService {
  constructor(
    private readonly users: UsersService,
    private readonly otps: OtpService,
    private readonly mails: AuthMails,
    private readonly events: DomainEvents,
  ) {}

  /**
   * Mails an active user a reset code (`POST /auth/reset-password` takes it), replacing any code
   * they had: the admin asked for it now. A disabled, invited or unverified account is refused:
   * a reset would let it in (or past its invitation) without the step it still owes.
   */
  async sendPasswordReset(userId: string, admin: string, origin: RequestOrigin): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user) throw notFound('The user');
    if (user.status !== 'active')
      throw conflict('user_not_active', `The account is ${user.status}: no reset code was sent.`);
    const code = await this.otps.issue(user.id, 'reset_password', { force: true });
    if (code) this.mails.sendCode(user.email, 'reset_password', code, user.locale);
    this.events.emit('auth.password_reset.requested', {
      actorId: admin,
      targetType: 'user',
      targetId: user.id,
      ...origin,
      outcome: 'success',
      details: { by: 'admin' },
    });
  }

  /** Mails a fresh verification code to an account whose email is not verified yet. */
  async sendVerification(userId: string, admin: string, origin: RequestOrigin): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user) throw notFound('The user');
    if (user.emailVerified)
      throw conflict('email_already_verified', 'The email address is already verified.');
    if (user.status !== 'pending')
      throw conflict('user_not_active', `The account is ${user.status}: no code was sent.`);
    const code = await this.otps.issue(user.id, 'verify_email', { force: true });
    if (code) this.mails.sendCode(user.email, 'verify_email', code, user.locale);
    this.events.emit('auth.verification_resent', {
      actorId: admin,
      targetType: 'user',
      targetId: user.id,
      ...origin,
      outcome: 'success',
      details: { by: 'admin' },
    });
  }
}
