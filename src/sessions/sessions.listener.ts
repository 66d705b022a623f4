import { Injectable } from '@nestjs/common';
import { Emitted, OnDomainEvent } from '../common/events/domain-event';
import { SessionsService } from './sessions.service';

/** What happens to sessions when their user changes; awaited by the emitting request. */
@Injectable()
export class SessionsListener {
  constructor(private readonly sessions: SessionsService) {}

  /** A profile, role or status change is visible on every instance's next request. */
  @OnDomainEvent('users.changed')
  onUserChanged({ userId }: Emitted<'users.changed'>): Promise<void> {
    return this.sessions.forgetUser(userId);
  }

  /** Disabling a user ends every session at once, refresh tokens included. */
  @OnDomainEvent('users.disabled')
  async onUserDisabled({ userId }: Emitted<'users.disabled'>): Promise<void> {
    await this.sessions.revokeAll(userId, 'account_disabled');
  }

  /** Deletion: revoke (so nothing stays usable if the next step is interrupted), then remove. */
  @OnDomainEvent('users.deleting')
  async onUserDeleting({ userId }: Emitted<'users.deleting'>): Promise<void> {
    await this.sessions.revokeAll(userId, 'account_deleted');
    await this.sessions.deleteAllOf(userId);
  }
}
