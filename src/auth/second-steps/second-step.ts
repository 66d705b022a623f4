import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { RequestOrigin } from '../../common/events/domain-event';
import { UserDto } from '../../users/dto/user.dto';
import { SecondStepMethod, SecondStepName } from './second-step-methods';

/** What the client answers a step with: a code, or a passkey's signed challenge. */
export type SecondStepAnswer = string | { credential: AuthenticationResponseJSON };

/** What the first step was: a password, or a sign-in a provider vouched for. */
export type FirstFactor = 'password' | 'provider';

/**
 * One way to complete a sign-in's second step. The registry asks each, in its order, whether the
 * account has it; the first that does is started, and later checks the answer. Refusals are
 * OtpRefusals: their `guess` tells the lockout whether a wrong answer was compared (and counts).
 */
export interface SecondStep {
  readonly name: SecondStepName;
  /** The first steps this method follows (the emailed code adds nothing to a provider's sign-in). */
  follows(firstFactor: FirstFactor): boolean;
  /** Whether the account holds this method now. */
  has(user: UserDto): Promise<boolean>;
  /** Starts a challenge bound to this sign-in attempt (binds the attempt, sends a code). */
  begin(user: UserDto, attemptId: string): Promise<void>;
  /** For a method the client runs itself (a passkey): what it needs, bound to the attempt. */
  options?(user: UserDto, attemptId: string): Promise<Record<string, unknown>>;
  /** Checks and uses up the answer, or throws an OtpRefusal; answers what completed the step. */
  check(
    user: UserDto,
    attemptId: string,
    answer: SecondStepAnswer,
    origin: RequestOrigin,
  ): Promise<SecondStepMethod>;
}
