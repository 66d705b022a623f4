import { HttpStatus, Injectable } from '@nestjs/common';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { DomainException } from '../common/errors/domain.exception';
import { DomainEvents, RequestOrigin } from '../common/events/domain-event';
import { Locale } from '../common/i18n/locales';
import { Clock } from '../common/time/clock';
import { SessionsService } from '../sessions/sessions.service';
import { UserDto } from '../users/dto/user.dto';
import { PasswordHasher } from '../users/password-hasher';
import { UsersService } from '../users/users.service';
import { RegisterDto } from './dto/register.dto';
import { MfaChallengeDto } from './dto/login.dto';
import { TokenPairDto } from './dto/token-pair.dto';
import { LockoutService } from './lockout/lockout.service';
import { AuthMails } from './otp/auth-mails';
import { invalidOtp, OtpRefusal, OtpService } from './otp/otp.service';
import { PasswordPolicy } from './password-policy';
import { SecondStep, SecondStepAnswer } from './second-steps/second-step';
import { SecondStepMethod } from './second-steps/second-step-methods';
import { SecondStepRegistry } from './second-steps/second-step-registry';
import { assertMaySignIn } from './sign-in/may-sign-in';
import { SignInService } from './sign-in/sign-in.service';
import { TokenService } from './tokens/token.service';

const invalidCredentials = () =>
  new DomainException(
    HttpStatus.UNAUTHORIZED,
    'invalid_credentials',
    'The email or password is not correct.',
  );

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
    private readonly steps: SecondStepRegistry,
    private readonly signIn: SignInService,
    private readonly mails: AuthMails,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  /** `locale`: the language the sign-up asked in (Accept-Language), kept for the user's mails. */
  async register(dto: RegisterDto, origin: RequestOrigin, locale?: Locale): Promise<UserDto> {
    this.policy.assertAcceptable(dto.password);
    const user = await this.users.registerPending({
      email: dto.email,
      passwordHash: await this.hasher.hash(dto.password),
      username: dto.username,
      firstName: dto.firstName?.trim() || undefined,
      lastName: dto.lastName?.trim() || undefined,
      locale,
    });
    // Under the resend cooldown like /resend-otp: 20 parallel re-registrations of a pending
    // address mail one code, and inside the window the code already sent stays the valid one.
    const code = await this.otps.issue(user.id, 'verify_email');
    if (code) this.mails.sendCode(user.email, 'verify_email', code, user.locale);
    this.events.emit('auth.registered', {
      actorId: user.id,
      targetType: 'user',
      targetId: user.id,
      ...origin,
      outcome: 'success',
    });
    return user;
  }

  async verifyEmail(email: string, code: string, origin: RequestOrigin): Promise<UserDto> {
    const user = await this.users.findByEmail(email);
    if (!user) throw invalidOtp();
    await this.otps.consume(user.id, 'verify_email', code);
    const verified = (await this.users.markEmailVerified(user.id, this.clock.now()))!;
    this.events.emit('auth.email_verified', {
      actorId: user.id,
      targetType: 'user',
      targetId: user.id,
      ...origin,
      outcome: 'success',
    });
    return verified;
  }

  /**
   * The password step. Unknown account and wrong password answer alike, in about the same time:
   * both take attempt slots (keyed by what was typed, so an unknown email locks like a known one)
   * and both pay for one bcrypt check (a dummy hash for unknown accounts). Locks answer 429 even
   * for the right password.
   */
  async login(
    login: string,
    password: string,
    origin: RequestOrigin,
  ): Promise<TokenPairDto | MfaChallengeDto> {
    const credentials = await this.users.findCredentials(login);
    const user = credentials?.user;
    const attempt = await this.lockout.begin(
      { identifier: login, userId: user?.id, email: user?.email, locale: user?.locale },
      origin,
    );
    // An account without a password (created by a sign-in provider) answers like a wrong one.
    const check = credentials?.passwordHash
      ? await this.hasher.verify(password, credentials.passwordHash)
      : await this.hasher.verifyDummy(password);
    if (!user || !check.ok) {
      await this.lockout.failed(attempt);
      const reason = !user
        ? 'unknown_account'
        : credentials?.passwordHash
          ? 'wrong_password'
          : 'no_password';
      const details = { reason };
      this.events.emit('auth.login.failed', {
        ...(user ? { targetType: 'user', targetId: user.id } : {}),
        ...origin,
        outcome: 'failure',
        details,
      });
      throw invalidCredentials();
    }
    await this.lockout.succeeded(attempt);
    assertMaySignIn(user);
    if (check.needsRehash)
      await this.users.setPasswordHash(user.id, await this.hasher.hash(password));
    return this.signIn.afterFirstStep(user, 'password', origin);
  }

  /**
   * The second step: the mfaToken from the first step plus the answer its method asks for (see
   * the SecondStep implementations). It takes an attempt slot like a password does (so a lock
   * stops it too); only a wrong answer that was compared counts as a failure, not a duplicate
   * submit of the code this attempt already used.
   */
  async verifyLogin(mfaToken: string, code: string, origin: RequestOrigin): Promise<TokenPairDto> {
    return this.completeSecondStep(mfaToken, code, origin);
  }

  /** The second step with a passkey: its signed challenge instead of a code. */
  async verifyLoginWithPasskey(
    mfaToken: string,
    credential: AuthenticationResponseJSON,
    origin: RequestOrigin,
  ): Promise<TokenPairDto> {
    return this.completeSecondStep(mfaToken, { credential }, origin);
  }

  /** What a step the client runs itself needs (a passkey's request options), for this attempt. */
  async secondStepOptions(mfaToken: string): Promise<Record<string, unknown>> {
    const { user, step, attemptId } = await this.currentStep(mfaToken);
    if (!step.options) throw this.tokens.invalidMfaToken();
    return step.options(user, attemptId);
  }

  private async completeSecondStep(
    mfaToken: string,
    answer: SecondStepAnswer,
    origin: RequestOrigin,
  ): Promise<TokenPairDto> {
    const { user, step, attemptId } = await this.currentStep(mfaToken);
    const secondStep = await this.lockout.oneCheckAtATime(attemptId, () =>
      this.checkSecondStep(user, step, attemptId, answer, origin),
    );
    return this.signIn.startSession(user, origin, { secondStep });
  }

  private async currentStep(mfaToken: string) {
    const claims = await this.tokens.verifyMfaToken(mfaToken);
    const user = await this.users.findById(claims.sub);
    if (!user || user.status !== 'active') throw this.tokensExpired();
    const step = this.steps.get(claims.mth);
    // A method turned on or off since the first step: that step no longer says what is needed.
    if (!step || !(await this.steps.isCurrent(user, step.name)))
      throw this.tokens.invalidMfaToken();
    return { user, step, attemptId: claims.aid };
  }

  /** The answer of the second step under one lockout slot; only a compared wrong answer counts. */
  private async checkSecondStep(
    user: UserDto,
    step: SecondStep,
    attemptId: string,
    answer: SecondStepAnswer,
    origin: RequestOrigin,
  ): Promise<SecondStepMethod> {
    const attempt = await this.lockout.begin(
      { identifier: user.email, userId: user.id, email: user.email, locale: user.locale },
      origin,
    );
    let secondStep: SecondStepMethod;
    try {
      secondStep = await step.check(user, attemptId, answer, origin);
    } catch (error) {
      if (!(error instanceof OtpRefusal && error.guess)) {
        await this.lockout.void(attempt);
        throw error;
      }
      await this.lockout.failed(attempt);
      this.events.emit('auth.second_step.failed', {
        targetType: 'user',
        targetId: user.id,
        ...origin,
        outcome: 'failure',
        details: { method: step.name },
      });
      throw error;
    }
    await this.lockout.succeeded(attempt);
    return secondStep;
  }

  async refresh(refreshToken: string, origin: RequestOrigin): Promise<TokenPairDto> {
    const rotated = await this.sessions.rotate(refreshToken, origin);
    const user = await this.sessions.userOf(rotated.userId);
    if (!user || user.status !== 'active') {
      await this.sessions.revokeAll(rotated.userId, 'account_inactive');
      throw this.tokensExpired();
    }
    return this.tokens.pair(user, rotated.sessionId, rotated.refreshToken);
  }

  async logout(userId: string, sessionId: string, origin: RequestOrigin): Promise<void> {
    await this.sessions.revoke(userId, sessionId, 'logout');
    this.events.emit('auth.logout', {
      actorId: userId,
      targetType: 'session',
      targetId: sessionId,
      ...origin,
      outcome: 'success',
    });
  }

  async logoutAll(userId: string, origin: RequestOrigin): Promise<void> {
    const count = await this.sessions.revokeAll(userId, 'logout_all');
    this.events.emit('auth.logout_all', {
      actorId: userId,
      targetType: 'user',
      targetId: userId,
      ...origin,
      outcome: 'success',
      details: { sessions: count },
    });
  }

  private tokensExpired() {
    return new DomainException(HttpStatus.UNAUTHORIZED, 'invalid_token', 'Sign in again.');
  }
}
