import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';

/** Every domain event goes out under this prefix; the audit writer listens to all of them. */
export const DOMAIN_EVENT_PREFIX = 'domain';

/** Who did what to whom, from where, and how it ended: the shape of an audit entry. */
export interface DomainEvent {
  actorId?: string;
  targetType?: string;
  targetId?: string;
  ip?: string;
  userAgent?: string;
  outcome: 'success' | 'failure';
  details?: Record<string, unknown>;
}

/** What listeners receive: the event and its action name. */
export interface EmittedDomainEvent extends DomainEvent {
  action: string;
}

/** Where a request came from, for events raised while handling it. */
export interface RequestOrigin {
  ip?: string;
  userAgent?: string;
}

/**
 * The small typed bus that keeps side effects (audit entries, notification mails) out of the
 * features that cause them: `users` emits, `audit` and `mail` listen.
 */
@Injectable()
export class DomainEvents {
  constructor(private readonly emitter: EventEmitter2) {}

  /** `action` is dotted, e.g. `auth.login.succeeded`; listeners get `domain.<action>`. */
  emit(action: string, event: DomainEvent): void {
    const emitted: EmittedDomainEvent = { ...event, action };
    this.emitter.emit(`${DOMAIN_EVENT_PREFIX}.${action}`, emitted);
  }
}
