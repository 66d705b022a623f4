import { HttpStatus, Injectable } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';
import { BackgroundWork } from '../common/background/background-work';
import { DomainEvents, RequestOrigin } from '../common/events/domain-event';
import { Clock } from '../common/time/clock';
import { SessionsService } from '../sessions/sessions.service';
import { PasswordHasher } from '../users/password-hasher';
import { UserDto } from '../users/dto/user.dto';
import { UsersService } from '../users/users.service';
import { authErrors } from './auth.errors';
import { AuthMails } from './otp/auth-mails';
import { LockoutService } from './lockout/lockout.service';
import { OtpPurpose } from './otp/otp.schema';
import { invalidOtp, OtpService } from './otp/otp.service';
import { PasswordPolicy } from './password-policy';

/** Forgot, reset and change password, and resending codes. */
@Injectable()
export class PasswordService {
  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly otps: OtpService,
    private readonly sessions: SessionsService,
    private readonly mails: AuthMails,
    private readonly lockout: LockoutService,
    private readonly events: DomainEvents,
    private readonly background: BackgroundWork,
    private readonly clock: Clock,
  ) {}

  /**
   * Sends a reset code if the account exists. The caller answers 202 before any per-account work
   * is done, so a known and an unknown email take the same time.
   */
  forgot(email: string, origin: RequestOrigin): void {
    this.background.run('forgot-password', () => this.sendResetCode(email, origin));
  }

  private async sendResetCode(email: string, origin: RequestOrigin): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user || user.status === 'disabled') return;
    const code = await this.otps.issue(user.id, 'reset_password');
    if (code) this.mails.sendCode(user.email, 'reset_password', code, user.locale);
    this.events.emit('auth.password_reset.requested', {
      targetType: 'user',
      targetId: user.id,
      ...origin,
      outcome: 'success',
    });
  }

  async reset(
    email: string,
    code: string,
    newPassword: string,
    origin: RequestOrigin,
  ): Promise<void> {
    this.policy.assertAcceptable(newPassword, 'newPassword');
    const user = await this.users.findByEmail(email);
    if (!user || user.status === 'disabled') throw invalidOtp();
    await this.otps.consume(user.id, 'reset_password', code);
    await this.users.setPasswordHash(user.id, await this.hasher.hash(newPassword));
    // The code proved control of the address: a pending account is verified by it.
    if (!user.emailVerified) await this.users.markEmailVerified(user.id, this.clock.now());
    await this.sessions.revokeAll(user.id, 'password_reset');
    this.events.emit('auth.password_reset.completed', {
      actorId: user.id,
      targetType: 'user',
      targetId: user.id,
      ...origin,
      outcome: 'success',
      notify: { email: user.email, locale: user.locale },
    });
  }

  /** Wrong current passwords count toward the sign-in lockout: a stolen access token cannot guess without limit. */
  async change(
    userId: string,
    sessionId: string,
    currentPassword: string,
    newPassword: string,
    origin: RequestOrigin,
  ): Promise<void> {
    this.policy.assertAcceptable(newPassword, 'newPassword');
    const { email, locale } = await this.confirm(
      userId,
      currentPassword,
      origin,
      'currentPassword',
    );
    await this.users.setPasswordHash(userId, await this.hasher.hash(newPassword));
    await this.sessions.revokeAll(userId, 'password_changed', sessionId);
    this.events.emit('auth.password.changed', {
      actorId: userId,
      targetType: 'user',
      targetId: userId,
      ...origin,
      outcome: 'success',
      notify: { email, locale },
    });
  }

  /**
   * Checks the signed-in user's password before a sensitive change. Wrong passwords count toward
   * the sign-in lockout (a stolen access token cannot guess without limit) and answer 400
   * `invalid_credentials` naming `field`.
   */
  async confirm(
    userId: string,
    password: string,
    origin: RequestOrigin,
    field: string,
  ): Promise<UserDto> {
    const credentials = await this.users.findCredentialsById(userId);
    if (!credentials)
      throw new DomainException(HttpStatus.UNAUTHORIZED, 'invalid_token', 'Sign in again.');
    const { email } = credentials.user;
    const passwordHash = credentials.passwordHash;
    if (!passwordHash) throw authErrors.passwordNotSet();
    const ok = await this.lockout.guard(
      { identifier: email, userId, email, locale: credentials.user.locale },
      origin,
      async () => (await this.hasher.verify(password, passwordHash)).ok,
    );
    if (!ok) {
      throw new DomainException(
        HttpStatus.BAD_REQUEST,
        'invalid_credentials',
        'The password is not correct.',
        { errors: [{ field, message: 'is not correct' }] },
      );
    }
    return credentials.user;
  }

  /**
   * Sends a new code when one is due: verification for pending accounts, reset for existing
   * ones, and login codes only while a sign-in is under way. Silent otherwise (no enumeration),
   * and, like `forgot`, done after the answer.
   */
  resend(email: string, purpose: OtpPurpose): void {
    this.background.run('resend-otp', () => this.resendNow(email, purpose));
  }

  private async resendNow(email: string, purpose: OtpPurpose): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user || user.status === 'disabled') return;
    if (purpose === 'verify_email' && user.emailVerified) return;
    if (purpose === 'login' && !(await this.otps.isPending(user.id, 'login'))) return;
    // A login code keeps its attempt id, so the mfaToken already handed out still matches.
    const code = await this.otps.issue(user.id, purpose);
    if (code) this.mails.sendCode(user.email, purpose, code, user.locale);
  }
}
