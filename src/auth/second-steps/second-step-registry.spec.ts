import { UserDto } from '../../users/dto/user.dto';
import { FirstFactor, SecondStep } from './second-step';
import { SecondStepName } from './second-step-methods';
import { SecondStepRegistry } from './second-step-registry';

/** A method whose answers the test sets: which first steps it follows and whether the account has it. */
class FakeStep implements SecondStep {
  held = false;
  constructor(
    readonly name: SecondStepName,
    private readonly after: FirstFactor[],
  ) {}
  follows(firstFactor: FirstFactor): boolean {
    return this.after.includes(firstFactor);
  }
  has(): Promise<boolean> {
    return Promise.resolve(this.held);
  }
  begin(): Promise<void> {
    return Promise.resolve();
  }
  check(): Promise<SecondStepName> {
    return Promise.resolve(this.name);
  }
}

const user = { id: 'u1' } as UserDto;

describe(SecondStepRegistry.name, () => {
  let totp: FakeStep;
  let passkey: FakeStep;
  let email: FakeStep;
  let registry: SecondStepRegistry;

  beforeEach(() => {
    totp = new FakeStep('totp', ['password', 'provider']);
    passkey = new FakeStep('passkey', ['password', 'provider']);
    email = new FakeStep('email_otp', ['password']);
    registry = new SecondStepRegistry([totp, passkey, email]);
  });

  it('offers the first method the account has, in the registry order', async () => {
    totp.held = true;
    email.held = true;
    expect(await registry.select(user, 'password')).toBe(totp);
    passkey.held = true;
    totp.held = false;
    expect(await registry.select(user, 'password')).toBe(passkey);
    passkey.held = false;
    expect(await registry.select(user, 'password')).toBe(email);
  });

  it('offers only a method that follows the first step taken', async () => {
    email.held = true;
    expect(await registry.select(user, 'provider')).toBeUndefined();
    totp.held = true;
    expect(await registry.select(user, 'provider')).toBe(totp);
  });

  it('offers nothing when the account has no method: the first step is enough', async () => {
    expect(await registry.select(user, 'password')).toBeUndefined();
  });

  it('keeps a started step current only while it is on and nothing asked first was turned on', async () => {
    email.held = true;
    expect(await registry.isCurrent(user, 'email_otp')).toBe(true);
    totp.held = true; // turned on after the password step
    expect(await registry.isCurrent(user, 'email_otp')).toBe(false);
    expect(await registry.isCurrent(user, 'totp')).toBe(true);
    totp.held = false; // turned off after the password step
    expect(await registry.isCurrent(user, 'totp')).toBe(false);
  });

  it('knows no method by a name it does not hold', async () => {
    email.held = true;
    expect(registry.get('sms')).toBeUndefined();
    expect(await registry.isCurrent(user, 'sms')).toBe(false);
  });

  it('refuses two methods of one name, and a name without a method', () => {
    expect(() => new SecondStepRegistry([totp, email, new FakeStep('totp', [])])).toThrow(
      'Second step totp twice',
    );
    expect(() => new SecondStepRegistry([totp])).toThrow(
      'Second steps without a method: email_otp',
    );
  });
});
