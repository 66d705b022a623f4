import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainEvents, RequestOrigin } from '../../common/events/domain-event';
import { Clock } from '../../common/time/clock';
import { SessionsService } from '../../sessions/sessions.service';
import { UserDto } from '../../users/dto/user.dto';
import { UsersService } from '../../users/users.service';
import { MfaChallengeDto } from '../dto/login.dto';
import { TokenPairDto } from '../dto/token-pair.dto';
import { FirstFactor } from '../second-steps/second-step';
import { SecondStepRegistry } from '../second-steps/second-step-registry';
import { TokenService } from '../tokens/token.service';

/**
 * What follows a first step that succeeded, whichever it was (a password, a provider): the
 * second step the account has, as a challenge, or else a session and its token pair.
 */
@Injectable()
export class SignInService {
  constructor(
    private readonly steps: SecondStepRegistry,
    private readonly tokens: TokenService,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  /** `details` are kept on the sign-in's audit entry when no second step follows. */
  async afterFirstStep(
    user: UserDto,
    firstFactor: FirstFactor,
    origin: RequestOrigin,
    details?: Record<string, unknown>,
  ): Promise<TokenPairDto | MfaChallengeDto> {
    const step = await this.steps.select(user, firstFactor);
    if (!step) return this.startSession(user, origin, details);
    const attemptId = randomUUID();
    await step.begin(user, attemptId);
    return {
      mfaRequired: true,
      mfaToken: this.tokens.mfaToken(user.id, attemptId, step.name),
      method: step.name,
    };
  }

  async startSession(
    user: UserDto,
    origin: RequestOrigin,
    details?: Record<string, unknown>,
  ): Promise<TokenPairDto> {
    const session = await this.sessions.create(user.id, origin);
    const signedIn = (await this.users.recordLogin(user.id, this.clock.now())) ?? user;
    this.events.emit('auth.login.succeeded', {
      actorId: user.id,
      targetType: 'session',
      targetId: session.sessionId,
      ...origin,
      outcome: 'success',
      ...(details ? { details } : {}),
      notify: { email: user.email, locale: user.locale },
    });
    return this.tokens.pair(signedIn, session.sessionId, session.refreshToken);
  }
}
