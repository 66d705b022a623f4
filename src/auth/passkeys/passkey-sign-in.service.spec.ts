import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { DomainEvents } from '../../common/events/domain-event';
import { UsersService } from '../../users/users.service';
import { Attempt, LockoutService } from '../lockout/lockout.service';
import { SignInService } from '../sign-in/sign-in.service';
import { PasskeyAssertions } from './passkey-assertions.service';
import { PasskeyChallenges } from './passkey-challenges.service';
import { PasskeySignIn } from './passkey-sign-in.service';
import { WebAuthn } from './webauthn';

/**
 * The lockout around a passkey sign-in: a refused assertion counts as a failure (the e2e specs
 * drive that through a real authenticator); an assertion that could not be checked at all (the
 * library did not load, the database failed) is no guess and must give its slot back, or a
 * passing outage would lock the owner out of password sign-in too.
 */
describe('PasskeySignIn: the lockout slot', () => {
  const user = { id: 'u1', email: 'ada@example.com', locale: 'en', status: 'active' };
  const passkey = { _id: 'p1', userId: 'u1' };
  const attempt = { pairKey: 'pair', accountKey: 'account' } as Attempt;
  let lockout: { begin: jest.Mock; void: jest.Mock; failed: jest.Mock; succeeded: jest.Mock };
  let verify: jest.Mock;
  let service: PasskeySignIn;

  beforeEach(() => {
    lockout = {
      begin: jest.fn().mockResolvedValue(attempt),
      void: jest.fn().mockResolvedValue(undefined),
      failed: jest.fn().mockResolvedValue(undefined),
      succeeded: jest.fn().mockResolvedValue(undefined),
    };
    verify = jest.fn();
    service = new PasskeySignIn(
      { find: async () => passkey, verify } as unknown as PasskeyAssertions,
      { consume: async () => true } as unknown as PasskeyChallenges,
      { challengeOf: () => 'challenge' } as unknown as WebAuthn,
      { findById: async () => user } as unknown as UsersService,
      lockout as unknown as LockoutService,
      {} as SignInService,
      { emit: jest.fn() } as unknown as DomainEvents,
    );
  });

  const response = { id: 'credential' } as AuthenticationResponseJSON;
  const origin = { ip: '10.0.0.1' };

  it('gives the slot back when the assertion could not be checked, and passes the error on', async () => {
    verify.mockRejectedValue(new Error('Cannot find module @simplewebauthn/server'));
    await expect(service.verify(response, origin)).rejects.toThrow('Cannot find module');
    expect(lockout.void).toHaveBeenCalledWith(attempt);
    expect(lockout.failed).not.toHaveBeenCalled();
  });

  it('counts a refused assertion as a failure', async () => {
    verify.mockResolvedValue('rejected');
    await expect(service.verify(response, origin)).rejects.toMatchObject({ status: 401 });
    expect(lockout.failed).toHaveBeenCalledWith(attempt);
    expect(lockout.void).not.toHaveBeenCalled();
  });
});
