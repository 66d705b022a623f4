import { DomainException } from '../common/errors/domain.exception';
import { DomainEvents } from '../common/events/domain-event';
import { UserDto } from '../users/dto/user.dto';
import { UsersService } from '../users/users.service';
import { PasskeysService } from './passkeys/passkeys.service';
import { PasswordService } from './password.service';
import { PasswordlessService } from './passwordless.service';

/**
 * The account's password and passkeys as plain fields, and a hook that runs between the
 * password's removal and the re-count: where a parallel passkey removal lands in a race.
 */
class Account {
  passwordHash: string | undefined = 'hash-1';
  passkeys = 1;
  betweenRemovalAndRecount?: () => void;
  removed = false;
  emitted: string[] = [];

  service(): PasswordlessService {
    const passwords = {
      confirm: () => Promise.resolve({ id: 'u1', email: 'a@example.com' } as UserDto),
    } as unknown as PasswordService;
    const passkeys = {
      countOf: () => Promise.resolve(this.passkeys),
    } as unknown as PasskeysService;
    const users = {
      findCredentialsById: () => Promise.resolve({ passwordHash: this.passwordHash }),
      removePasswordHash: (_id: string, expected: string) => {
        if (this.passwordHash !== expected) return Promise.resolve(false);
        this.passwordHash = undefined;
        this.removed = true;
        this.betweenRemovalAndRecount?.();
        return Promise.resolve(true);
      },
      restorePasswordHash: (_id: string, hash: string) => {
        this.passwordHash ??= hash;
        return Promise.resolve();
      },
    } as unknown as UsersService;
    const events = { emit: (name: string) => this.emitted.push(name) } as unknown as DomainEvents;
    return new PasswordlessService(passwords, passkeys, users, events);
  }
}

const codeOf = async (work: Promise<unknown>) =>
  work.then(
    () => 'ok',
    (error: DomainException) => error.code,
  );

describe(PasswordlessService.name, () => {
  it('removes the password of an account with a passkey, and says so', async () => {
    const account = new Account();
    expect(await codeOf(account.service().removePassword('u1', 'pw', {}))).toBe('ok');
    expect(account.passwordHash).toBeUndefined();
    expect(account.emitted).toEqual(['auth.password.removed']);
  });

  it('refuses without a passkey, and leaves the password', async () => {
    const account = new Account();
    account.passkeys = 0;
    expect(await codeOf(account.service().removePassword('u1', 'pw', {}))).toBe('passkey_required');
    expect(account.passwordHash).toBe('hash-1');
    expect(account.removed).toBe(false);
  });

  it('puts the password back when the last passkey went while it was being removed', async () => {
    const account = new Account();
    account.betweenRemovalAndRecount = () => (account.passkeys = 0);
    expect(await codeOf(account.service().removePassword('u1', 'pw', {}))).toBe('passkey_required');
    expect(account.passwordHash).toBe('hash-1');
    expect(account.emitted).toEqual([]);
  });
});
