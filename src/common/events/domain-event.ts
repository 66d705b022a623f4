import { Injectable } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import { EventMap, EventName } from './event-map';

export type { AuditFields, AuditedEvent, EventMap, EventName } from './event-map';

/** Every event goes out under this prefix, so one wildcard (`domain.**`) hears them all. */
export const DOMAIN_EVENT_PREFIX = 'domain';

/** What listeners receive: the payload and the event's name. */
export type Emitted<K extends EventName = EventName> = EventMap[K] & { action: K };

/** Where a request came from, for events raised while handling it. */
export interface RequestOrigin {
  ip?: string;
  userAgent?: string;
}

/**
 * The typed bus that keeps side effects out of the features that cause them: `users` emits,
 * `audit`, `mail` and the owners of dependent data listen.
 */
@Injectable()
export class DomainEvents {
  constructor(private readonly emitter: EventEmitter2) {}

  /** Fire and forget: for audit entries and mails, which must never hold up or fail a request. */
  emit<K extends EventName>(action: K, payload: EventMap[K]): void {
    this.emitter.emit(`${DOMAIN_EVENT_PREFIX}.${action}`, { ...payload, action });
  }

  /**
   * Runs the event's effect listeners (`@OnDomainEvent(name)`) to completion; the first failure
   * rejects, so the request that caused it fails instead of leaving the effect half done.
   * Fire-and-forget listeners (audit, mail) are started but not awaited.
   */
  async emitAsync<K extends EventName>(action: K, payload: EventMap[K]): Promise<void> {
    await this.emitter.emitAsync(`${DOMAIN_EVENT_PREFIX}.${action}`, { ...payload, action });
  }
}

/**
 * Listens to one event of the map, typed by its name. Without `background`, the listener is an
 * effect: awaited by `emitAsync` and its errors reach the emitter. With `background: true` it
 * runs after the emitter has moved on, and its errors are logged (audit, mail).
 */
export function OnDomainEvent<K extends EventName>(
  action: K,
  options: { background?: boolean } = {},
): <T extends (event: Emitted<K>) => unknown>(
  target: object,
  key: string | symbol,
  descriptor: TypedPropertyDescriptor<T>,
) => void {
  const decorator = OnEvent(
    `${DOMAIN_EVENT_PREFIX}.${action}`,
    options.background ? { async: true } : { suppressErrors: false },
  );
  return (target, key, descriptor) => {
    decorator(target, key, descriptor);
  };
}
