import { HttpStatus, Injectable } from '@nestjs/common';
import { DomainException, notFound } from '../common/errors/domain.exception';
import { DomainEvents, RequestOrigin } from '../common/events/domain-event';
import { SessionsService } from '../sessions/sessions.service';
import { UserDto } from '../users/dto/user.dto';
import { PasswordHasher } from '../users/password-hasher';
import { UsersService } from '../users/users.service';
import { TotpSetupDto } from './dto/totp.dto';
import { authErrors } from './auth.errors';
import { LockoutService } from './lockout/lockout.service';
import { CodeCheck, TotpService } from './totp/totp.service';
import { totpErrors } from './totp/totp.errors';

type Used = Extract<CodeCheck, { ok: true }>;
type Confirmed = 'setup' | 'disable' | 'recovery_codes';

/**
 * Two-factor authentication with an authenticator app, as the account owner and admins use it:
 * set up, turn on, turn off, new recovery codes and the admin reset (the sign-in step is TotpStep). The
 * credential itself lives behind TotpService; this class adds the password checks (under the
 * sign-in lockout), the user flag, sessions, and the audit and mail events.
 */
@Injectable()
export class TwoFactorService {
  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly totp: TotpService,
    private readonly lockout: LockoutService,
    private readonly sessions: SessionsService,
    private readonly events: DomainEvents,
  ) {}

  /** A new secret, its otpauth:// URL and QR code: the only time the secret leaves the server. */
  async setUp(userId: string, password: string, origin: RequestOrigin): Promise<TotpSetupDto> {
    const { user, passwordHash } = await this.credentials(userId);
    if (await this.totp.isEnabled(userId)) throw totpErrors.alreadyEnabled();
    await this.confirm('setup', user, passwordHash, password, undefined, origin);
    const { secret, otpauthUrl } = await this.totp.setUp(userId, user.email);
    this.events.emit('auth.totp.set_up', this.audited(user, origin));
    return { secret, otpauthUrl, qrCodeDataUrl: await qrCode(otpauthUrl) };
  }

  /** Turns TOTP on with a current code; the recovery codes are shown this once. */
  async enable(userId: string, code: string, origin: RequestOrigin): Promise<string[]> {
    const recoveryCodes = await this.totp.enable(userId, code);
    const user = await this.users.setTwoFactorEnabled(userId, true);
    if (user) this.events.emit('auth.totp.enabled', this.notified(user, origin));
    return recoveryCodes;
  }

  /** Turns TOTP off with the password and a code (or a recovery code); every other session ends. */
  async disable(
    userId: string,
    sessionId: string,
    password: string,
    code: string,
    origin: RequestOrigin,
  ): Promise<void> {
    const { user, passwordHash } = await this.credentials(userId);
    if (!(await this.totp.isEnabled(userId))) throw totpErrors.notEnabled();
    const used = await this.confirm('disable', user, passwordHash, password, code, origin);
    await this.totp.remove(userId);
    await this.turnOff(userId, sessionId);
    this.events.emit('auth.totp.disabled', {
      ...this.notified(user, origin),
      details: { by: 'owner', method: used?.method },
    });
  }

  /** A fresh set of recovery codes (password and a current TOTP code); the old set stops working. */
  async replaceRecoveryCodes(
    userId: string,
    password: string,
    code: string,
    origin: RequestOrigin,
  ): Promise<string[]> {
    const { user, passwordHash } = await this.credentials(userId);
    if (!(await this.totp.isEnabled(userId))) throw totpErrors.notEnabled();
    await this.confirm('recovery_codes', user, passwordHash, password, code, origin);
    const recoveryCodes = await this.totp.replaceRecoveryCodes(userId);
    this.events.emit('auth.totp.recovery_codes_replaced', this.notified(user, origin));
    return recoveryCodes;
  }

  /** An admin turns TOTP off for a user who lost their device; all of that user's sessions end. */
  async reset(adminId: string, userId: string, origin: RequestOrigin): Promise<void> {
    if (adminId === userId) throw totpErrors.ownAccount();
    const user = await this.users.findById(userId);
    if (!user) throw notFound('The user');
    const wasEnabled = await this.totp.remove(userId);
    if (!wasEnabled && !user.twoFactorEnabled) return; // nothing was on: nothing to tell
    await this.turnOff(userId);
    this.events.emit('auth.totp.disabled', {
      ...this.notified(user, origin),
      actorId: adminId,
      details: { by: 'admin' },
    });
  }

  /**
   * The password again (and a code, when given) as one attempt under the sign-in lockout, like
   * change-password: a stolen access token cannot guess either without limit. A code that is
   * right but already used refuses without counting.
   */
  private async confirm(
    action: Confirmed,
    user: UserDto,
    passwordHash: string,
    password: string,
    code: string | undefined,
    origin: RequestOrigin,
  ): Promise<Used | undefined> {
    const attempt = await this.lockout.begin(
      { identifier: user.email, userId: user.id, email: user.email, locale: user.locale },
      origin,
    );
    let passwordOk: boolean;
    let check: CodeCheck | undefined;
    try {
      passwordOk = (await this.hasher.verify(password, passwordHash)).ok;
      // The code is checked (and used up) only after the right password.
      if (passwordOk && code !== undefined)
        check = await this.totp.use(user.id, code, { recovery: action === 'disable' });
    } catch (error) {
      await this.lockout.void(attempt);
      throw error;
    }
    if (passwordOk && (check === undefined || check.ok)) {
      await this.lockout.succeeded(attempt);
      return check;
    }
    if (check && !check.ok && !check.guess) {
      await this.lockout.void(attempt);
      throw totpErrors.wrongCode();
    }
    await this.lockout.failed(attempt);
    const reason = passwordOk ? 'wrong_code' : 'wrong_password';
    this.events.emit('auth.totp.check_failed', {
      ...this.audited(user, origin),
      outcome: 'failure',
      details: { action, reason },
    });
    throw passwordOk ? totpErrors.wrongCode() : totpErrors.wrongPassword();
  }

  /** After the credential is gone: the user flag, then every session but the caller's. */
  private async turnOff(userId: string, keepSessionId?: string): Promise<void> {
    await this.users.setTwoFactorEnabled(userId, false);
    await this.sessions.revokeAll(userId, 'two_factor_disabled', keepSessionId);
  }

  private async credentials(userId: string) {
    const credentials = await this.users.findCredentialsById(userId);
    if (!credentials)
      throw new DomainException(HttpStatus.UNAUTHORIZED, 'invalid_token', 'Sign in again.');
    const { user, passwordHash } = credentials;
    if (!passwordHash) throw authErrors.passwordNotSet();
    return { user, passwordHash };
  }

  private audited(user: UserDto, origin: RequestOrigin) {
    return {
      actorId: user.id,
      targetType: 'user',
      targetId: user.id,
      ...origin,
      outcome: 'success' as const,
    };
  }

  private notified(user: UserDto, origin: RequestOrigin) {
    return { ...this.audited(user, origin), notify: { email: user.email, locale: user.locale } };
  }
}

/** The QR code of an otpauth URL as a data URL; qrcode is loaded at the first enrolment, not at start. */
async function qrCode(text: string): Promise<string> {
  const { toDataURL } = await import('qrcode');
  return toDataURL(text);
}
