import { UserDto } from '../../users/dto/user.dto';
import { FirstFactor, SecondStep } from './second-step';
import { SECOND_STEP_NAMES, SecondStepName } from './second-step-methods';

/**
 * Every second step, in the order a sign-in offers them: the account's own credentials before
 * what applies to every account (TOTP is the real second factor, so with it on no code is mailed
 * whatever LOGIN_EMAIL_OTP says). One method per name in SECOND_STEPS, checked at start.
 */
export class SecondStepRegistry {
  private readonly byName = new Map<SecondStepName, SecondStep>();

  constructor(private readonly ordered: readonly SecondStep[]) {
    for (const method of ordered) {
      if (this.byName.has(method.name)) throw new Error(`Second step ${method.name} twice`);
      this.byName.set(method.name, method);
    }
    const missing = SECOND_STEP_NAMES.filter((name) => !this.byName.has(name));
    if (missing.length) throw new Error(`Second steps without a method: ${missing.join(', ')}`);
  }

  /** The method of a name from a token; undefined for a name no method has. */
  get(name: string): SecondStep | undefined {
    return this.byName.get(name as SecondStepName);
  }

  /** The step this account is asked for after this first step; undefined when none applies. */
  async select(user: UserDto, firstFactor: FirstFactor): Promise<SecondStep | undefined> {
    for (const method of this.ordered)
      if (method.follows(firstFactor) && (await method.has(user))) return method;
    return undefined;
  }

  /**
   * Whether a step started earlier is still the one this account would be asked for: the method
   * is still on, and none the registry asks first has been turned on since (TOTP turned on or off
   * after the password step: that step no longer says what is needed).
   */
  async isCurrent(user: UserDto, name: string): Promise<boolean> {
    const method = this.get(name);
    if (!method) return false;
    for (const earlier of this.ordered) {
      if (earlier === method) return method.has(user);
      if (await earlier.has(user)) return false;
    }
    return false;
  }
}
