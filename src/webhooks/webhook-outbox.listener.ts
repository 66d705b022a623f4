import { Injectable, Logger } from '@nestjs/common';
import { BackgroundWork } from '../common/background/background-work';
import { AuditedEvent, Emitted, OnDomainEvent } from '../common/events/domain-event';
import { Clock } from '../common/time/clock';
import { UsersService } from '../users/users.service';
import { WebhookChangeSweeper } from './webhook-change-sweeper';
import { WebhookEventType } from './webhook-event-types';
import { toWebhookUser, WebhookUser } from './webhook-payloads';
import { WebhookOutbox } from './webhook-outbox.service';

/**
 * Turns the domain events that matter to other apps into outbox entries. The entry is written as
 * background work right after the change (a graceful shutdown waits for it); the user is read
 * then, so `data.user` is the user as the change left them, and marked as announced afterwards.
 * A crash between the change and the entry is caught up by `WebhookChangeSweeper`.
 */
@Injectable()
export class WebhookOutboxListener {
  private readonly logger = new Logger('Webhooks');

  constructor(
    private readonly outbox: WebhookOutbox,
    private readonly users: UsersService,
    private readonly background: BackgroundWork,
    private readonly clock: Clock,
    private readonly sweeper: WebhookChangeSweeper,
  ) {}

  @OnDomainEvent('auth.registered')
  onRegistered(event: Emitted<'auth.registered'>): void {
    const via = event.details?.provider ? 'provider' : 'sign_up';
    this.userEvent('user.created', event, { via });
  }

  @OnDomainEvent('users.invited')
  onInvited(event: Emitted<'users.invited'>): void {
    this.userEvent('user.created', event, { via: 'invitation' });
  }

  @OnDomainEvent('auth.email_verified')
  onVerified(event: Emitted<'auth.email_verified'>): void {
    this.userEvent('user.verified', event);
  }

  @OnDomainEvent('users.invitation_accepted')
  onInvitationAccepted(event: Emitted<'users.invitation_accepted'>): void {
    this.userEvent('user.verified', event);
  }

  @OnDomainEvent('users.profile_updated')
  onProfileUpdated(event: Emitted<'users.profile_updated'>): void {
    this.userEvent('user.updated', event, { fields: event.details?.fields ?? [] });
  }

  @OnDomainEvent('users.metadata_updated')
  onMetadataUpdated(event: Emitted<'users.metadata_updated'>): void {
    this.userEvent('user.updated', event, { fields: event.details?.fields ?? [] });
  }

  /** Two-step sign-in turned on or off (by the owner, or off by an admin): `twoFactorEnabled`. */
  @OnDomainEvent('auth.totp.enabled')
  onTotpEnabled(event: Emitted<'auth.totp.enabled'>): void {
    this.userEvent('user.updated', event, { fields: ['twoFactorEnabled'] });
  }

  @OnDomainEvent('auth.totp.disabled')
  onTotpDisabled(event: Emitted<'auth.totp.disabled'>): void {
    this.userEvent('user.updated', event, { fields: ['twoFactorEnabled'] });
  }

  @OnDomainEvent('users.status_changed')
  onStatusChanged(event: Emitted<'users.status_changed'>): void {
    this.userEvent(event.details?.to === 'disabled' ? 'user.disabled' : 'user.enabled', event);
  }

  @OnDomainEvent('users.role_changed')
  onRoleChanged(event: Emitted<'users.role_changed'>): void {
    this.userEvent('user.role_changed', event, { previousRole: event.details?.from });
  }

  /**
   * Written before the user document goes, and awaited: a deletion that stops half-way is
   * finished by `FinishDeletionsJob`, which emits this again; the key writes the event once.
   */
  @OnDomainEvent('users.deleting')
  async onDeleting({ userId }: Emitted<'users.deleting'>): Promise<void> {
    const event = {
      type: 'user.deleted' as const,
      timestamp: this.clock.now().toISOString(),
      data: { user: { id: userId } },
    };
    await this.outbox.enqueue(event, `user.deleted:${userId}`);
  }

  @OnDomainEvent('sessions.revoked')
  onSessionRevoked(event: Emitted<'sessions.revoked'>): void {
    const { targetId: sessionId, actorId: userId } = event;
    if (!sessionId || !userId) return;
    this.write('session.revoked', async () => ({ session: { id: sessionId, userId } }));
  }

  /** An event about the user the audited event targets, with the user as they are now. */
  private userEvent(
    type: WebhookEventType,
    event: AuditedEvent,
    extra: Record<string, unknown> = {},
  ): void {
    const userId = event.targetId;
    if (!userId) return;
    this.write(
      type,
      async () => {
        const user = await this.users.findById(userId);
        return user ? { user: toWebhookUser(user), ...extra } : undefined;
      },
      (payload) => this.sweeper.record(payload.user as WebhookUser),
    );
  }

  private write(
    type: WebhookEventType,
    data: () => Promise<Record<string, unknown> | undefined>,
    written?: (payload: Record<string, unknown>) => Promise<void>,
  ): void {
    const timestamp = this.clock.now().toISOString();
    this.background.run('webhook-outbox', async () => {
      try {
        const payload = await data();
        if (!payload) return;
        await this.outbox.enqueue({ type, timestamp, data: payload });
        await written?.(payload);
      } catch (err) {
        this.logger.error({ err, type }, 'could not write a webhook to the outbox');
      }
    });
  }
}
