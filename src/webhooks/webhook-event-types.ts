/**
 * The event types an endpoint can subscribe to. Each is fed by a domain event (see
 * `webhook-outbox.listener.ts`); the contract (docs/api-contract.md) lists each type's `data`.
 */
export const WEBHOOK_EVENT_TYPES = [
  'user.created',
  'user.verified',
  'user.updated',
  'user.disabled',
  'user.enabled',
  'user.deleted',
  'user.role_changed',
  'session.revoked',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Subscribes to every type, present and future. */
export const ALL_EVENTS = '*';

export const WEBHOOK_EVENT_CHOICES = [ALL_EVENTS, ...WEBHOOK_EVENT_TYPES] as const;
export type WebhookEventChoice = (typeof WEBHOOK_EVENT_CHOICES)[number];
