import { Injectable } from '@nestjs/common';
import { DomainEvents, RequestOrigin } from '../common/events/domain-event';
import { UsersService } from '../users/users.service';
import { authErrors } from './auth.errors';
import { PasskeysService } from './passkeys/passkeys.service';
import { PasswordService } from './password.service';

/**
 * Going passwordless: an account with a passkey may drop its password (it signs in with the
 * passkey; forgot-password sets a password again). Never its last way in: the passkey count is
 * checked again after the removal and the password put back if it fell to none, as the passkey
 * removal re-checks the password after its own, so two racing removals cannot both pass.
 */
@Injectable()
export class PasswordlessService {
  constructor(
    private readonly passwords: PasswordService,
    private readonly passkeys: PasskeysService,
    private readonly users: UsersService,
    private readonly events: DomainEvents,
  ) {}

  /** The password again first (under the sign-in lockout), like adding a passkey. */
  async removePassword(userId: string, password: string, origin: RequestOrigin): Promise<void> {
    const user = await this.passwords.confirm(userId, password, origin, 'password');
    if ((await this.passkeys.countOf(userId)) === 0) throw authErrors.passkeyRequired();
    const passwordHash = (await this.users.findCredentialsById(userId))?.passwordHash;
    // Changed or removed since the check: the other request's answer stands.
    if (!passwordHash || !(await this.users.removePasswordHash(userId, passwordHash)))
      throw authErrors.passkeyRequired();
    if ((await this.passkeys.countOf(userId)) === 0) {
      await this.users.restorePasswordHash(userId, passwordHash);
      throw authErrors.passkeyRequired();
    }
    this.events.emit('auth.password.removed', {
      actorId: userId,
      targetType: 'user',
      targetId: userId,
      ...origin,
      outcome: 'success',
      notify: { email: user.email, locale: user.locale },
    });
  }
}
