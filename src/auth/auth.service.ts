import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainException } from '../common/errors/domain.exception';
import { DomainEvents, RequestOrigin } from '../common/events/domain-event';
import { Clock } from '../common/time/clock';
import { loginConfig, LoginConfig } from '../config/configuration';
import { SessionsService } from '../sessions/sessions.service';
import { UserDto } from '../users/dto/user.dto';
import { PasswordHasher } from '../users/password-hasher';
import { UsersService } from '../users/users.service';
import { AuthMails } from './auth-mails';
import { RegisterDto } from './dto/register.dto';
import { MfaChallengeDto } from './dto/login.dto';
import { TokenPairDto } from './dto/token-pair.dto';
import { LockoutService } from './lockout.service';
import { invalidOtp, OtpService } from './otp/otp.service';
import { PasswordPolicy } from './password-policy';
import { TokenService } from './tokens/token.service';

const invalidCredentials = () =>
  new DomainException(HttpStatus.UNAUTHORIZED, 'invalid_credentials', 'The email or password is not correct.');

/** Sign-up, sign-in (both steps), refresh and sign-out: the flows, over the focused services. */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly otps: OtpService,
    private readonly lockout: LockoutService,
    private readonly sessions: SessionsService,
    private readonly tokens: TokenService,
    private readonly mails: AuthMails,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    @Inject(loginConfig.KEY) private readonly config: LoginConfig,
  ) {}

  async register(dto: RegisterDto, origin: RequestOrigin): Promise<UserDto> {
    this.policy.assertAcceptable(dto.password);
    const user = await this.users.registerPending({
      email: dto.email,
      passwordHash: await this.hasher.hash(dto.password),
      username: dto.username,
      firstName: dto.firstName?.trim() || undefined,
      lastName: dto.lastName?.trim() || undefined,
    });
    const code = await this.otps.issue(user.id, 'verify_email', { force: true });
    if (code) this.mails.sendCode(user.email, 'verify_email', code);
    this.events.emit('auth.registered', { actorId: user.id, targetType: 'user', targetId: user.id, ...origin, outcome: 'success' });
    return user;
  }

  async verifyEmail(email: string, code: string, origin: RequestOrigin): Promise<UserDto> {
    const user = await this.users.findByEmail(email);
    if (!user) throw invalidOtp();
    await this.otps.consume(user.id, 'verify_email', code);
    const verified = (await this.users.markEmailVerified(user.id, this.clock.now()))!;
    this.events.emit('auth.email_verified', { actorId: user.id, targetType: 'user', targetId: user.id, ...origin, outcome: 'success' });
    return verified;
  }

  /**
   * The password step. Unknown account and wrong password answer alike, in about the same time
   * (a dummy hash is checked). Locks answer 429 even for the right password.
   */
  async login(login: string, password: string, origin: RequestOrigin): Promise<TokenPairDto | MfaChallengeDto> {
    const credentials = await this.users.findCredentials(login);
    if (!credentials) {
      await this.hasher.verifyDummy(password);
      this.events.emit('auth.login.failed', { ...origin, outcome: 'failure', details: { reason: 'unknown_account' } });
      throw invalidCredentials();
    }
    const { user, passwordHash } = credentials;
    await this.lockout.assertNotLocked(user.id, origin.ip);
    const check = await this.hasher.verify(password, passwordHash);
    if (!check.ok) {
      await this.lockout.recordFailure(user.id, user.email, origin);
      this.events.emit('auth.login.failed', { targetType: 'user', targetId: user.id, ...origin, outcome: 'failure', details: { reason: 'wrong_password' } });
      throw invalidCredentials();
    }
    if (user.status === 'pending') {
      throw new DomainException(HttpStatus.FORBIDDEN, 'email_not_verified', 'Verify your email address before signing in.');
    }
    if (user.status === 'disabled') throw new DomainException(HttpStatus.FORBIDDEN, 'account_disabled', 'This account is disabled.');
    await this.lockout.recordSuccess(user.id, origin.ip);
    if (check.needsRehash) await this.users.setPasswordHash(user.id, await this.hasher.hash(password));

    if (this.config.emailOtp) {
      const attemptId = randomUUID();
      const code = (await this.otps.issue(user.id, 'login', { force: true, attemptId }))!;
      this.mails.sendCode(user.email, 'login', code);
      return { mfaRequired: true, mfaToken: this.tokens.mfaToken(user.id, attemptId, 'email_otp'), method: 'email_otp' };
    }
    return this.startSession(user, origin);
  }

  /** The second step: the mfaToken from the password step plus the emailed code. */
  async verifyLogin(mfaToken: string, code: string, origin: RequestOrigin): Promise<TokenPairDto> {
    const claims = this.tokens.verifyMfaToken(mfaToken);
    const user = await this.users.findById(claims.sub);
    if (!user || user.status !== 'active') throw this.tokensExpired();
    await this.lockout.assertNotLocked(user.id, origin.ip);
    try {
      await this.otps.consume(user.id, 'login', code, claims.aid);
    } catch (error) {
      await this.lockout.recordFailure(user.id, user.email, origin);
      this.events.emit('auth.second_step.failed', { targetType: 'user', targetId: user.id, ...origin, outcome: 'failure' });
      throw error;
    }
    await this.lockout.recordSuccess(user.id, origin.ip);
    return this.startSession(user, origin);
  }

  async refresh(refreshToken: string, origin: RequestOrigin): Promise<TokenPairDto> {
    const rotated = await this.sessions.rotate(refreshToken, origin);
    const user = await this.users.findById(rotated.userId);
    if (!user || user.status !== 'active') {
      await this.sessions.revokeAll(rotated.userId, 'account_inactive');
      throw this.tokensExpired();
    }
    return this.tokens.pair(user, rotated.sessionId, rotated.refreshToken);
  }

  async logout(userId: string, sessionId: string, origin: RequestOrigin): Promise<void> {
    await this.sessions.revoke(userId, sessionId, 'logout');
    this.events.emit('auth.logout', { actorId: userId, targetType: 'session', targetId: sessionId, ...origin, outcome: 'success' });
  }

  async logoutAll(userId: string, origin: RequestOrigin): Promise<void> {
    const count = await this.sessions.revokeAll(userId, 'logout_all');
    this.events.emit('auth.logout_all', { actorId: userId, targetType: 'user', targetId: userId, ...origin, outcome: 'success', details: { sessions: count } });
  }

  private async startSession(user: UserDto, origin: RequestOrigin): Promise<TokenPairDto> {
    const session = await this.sessions.create(user.id, origin);
    const signedIn = (await this.users.recordLogin(user.id, this.clock.now())) ?? user;
    this.events.emit('auth.login.succeeded', {
      actorId: user.id,
      targetType: 'session',
      targetId: session.sessionId,
      ...origin,
      outcome: 'success',
      details: { email: user.email },
    });
    return this.tokens.pair(signedIn, session.sessionId, session.refreshToken);
  }

  private tokensExpired() {
    return new DomainException(HttpStatus.UNAUTHORIZED, 'invalid_token', 'Sign in again.');
  }
}
