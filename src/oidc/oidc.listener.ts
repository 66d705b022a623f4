import { Injectable } from '@nestjs/common';
import { Emitted, OnDomainEvent } from '../common/events/domain-event';
import { OidcStore } from './oidc-store';

/**
 * Signing out of the app signs out of every app that signed in through us: sign-out everywhere,
 * a password reset, a disabled or deleted account end the user's provider sessions, grants,
 * codes and tokens. Disabling and deletion are effects the request awaits; the other two are
 * announced after the fact (fire and forget), so they run in the background.
 */
@Injectable()
export class OidcListener {
  constructor(private readonly store: OidcStore) {}

  @OnDomainEvent('auth.logout_all', { background: true })
  async onLogoutAll({ actorId }: Emitted<'auth.logout_all'>): Promise<void> {
    if (actorId) await this.store.revokeByAccount(actorId);
  }

  @OnDomainEvent('auth.password_reset.completed', { background: true })
  async onPasswordReset({ targetId }: Emitted<'auth.password_reset.completed'>): Promise<void> {
    if (targetId) await this.store.revokeByAccount(targetId);
  }

  @OnDomainEvent('users.disabled')
  async onUserDisabled({ userId }: Emitted<'users.disabled'>): Promise<void> {
    await this.store.revokeByAccount(userId);
  }

  @OnDomainEvent('users.deleting')
  async onUserDeleting({ userId }: Emitted<'users.deleting'>): Promise<void> {
    await this.store.revokeByAccount(userId);
  }
}
