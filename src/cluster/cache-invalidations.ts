import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { INSTANCE_ID } from './instance-id';
import { REDIS } from './redis';

/** What an instance must drop from its caches. */
export type Invalidation =
  /** The user changed (profile, role, status, password, identities): every cached copy of them. */
  | { kind: 'user'; userId: string }
  /** These sessions were revoked. */
  | { kind: 'sessions'; sessions: { sessionId: string; userId: string }[] }
  /** A role was created, changed or deleted: the role table. */
  | { kind: 'roles' }
  /** A signing key was added or removed: reload the key set. */
  | { kind: 'signing-keys' };

export const INVALIDATION_CHANNEL = 'user-management:invalidate';

interface Envelope {
  from: string;
  message: Invalidation;
}

/**
 * The one way a cached answer is dropped, on this instance and on every other. `publish` applies
 * the invalidation here at once, then, with Redis, broadcasts it and waits for Redis to have
 * delivered it to the other instances' subscriptions, so a revocation is in effect everywhere
 * before the request that made it answers. Without Redis (or while Redis is down) the other
 * instances' caches expire on their own (5 s: the session cache, the role table): the bound on
 * their lag. Pub/sub delivers at most once, so that expiry stays as the backstop with Redis too.
 */
@Injectable()
export class CacheInvalidations implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(CacheInvalidations.name);
  private readonly handlers: ((message: Invalidation) => void)[] = [];
  private subscriber?: Redis;

  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}

  /** Registers what a cache does with an invalidation (called from the cache owner's constructor). */
  on(handler: (message: Invalidation) => void): void {
    this.handlers.push(handler);
  }

  async publish(message: Invalidation): Promise<void> {
    this.apply(message);
    if (!this.redis) return;
    try {
      await this.redis.publish(
        INVALIDATION_CHANNEL,
        JSON.stringify({ from: INSTANCE_ID, message } satisfies Envelope),
      );
    } catch (err) {
      // The change itself is stored; the other instances catch up when their entries expire.
      this.logger.warn({ err, kind: message.kind }, 'could not broadcast an invalidation');
    }
  }

  async onModuleInit(): Promise<void> {
    if (!this.redis) return;
    // A connection in subscriber mode can do nothing else: a second one, for listening only.
    this.subscriber = this.redis.duplicate({ enableOfflineQueue: true });
    this.subscriber.on('error', () => undefined); // reported once by the main connection
    this.subscriber.on('message', (_channel: string, text: string) => this.receive(text));
    await this.subscriber.subscribe(INVALIDATION_CHANNEL);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  private receive(text: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(text) as Envelope;
    } catch {
      return;
    }
    if (envelope.from === INSTANCE_ID || !isInvalidation(envelope.message)) return;
    this.apply(envelope.message);
  }

  private apply(message: Invalidation): void {
    for (const handler of this.handlers) handler(message);
  }
}

/** Another instance (maybe a newer version) may send kinds or shapes this one does not know. */
function isInvalidation(value: unknown): value is Invalidation {
  const message = value as Partial<Record<string, unknown>> | null;
  if (typeof message !== 'object' || message === null) return false;
  switch (message.kind) {
    case 'user':
      return typeof message.userId === 'string';
    case 'sessions':
      return (
        Array.isArray(message.sessions) &&
        message.sessions.every(
          (s: { sessionId?: unknown; userId?: unknown }) =>
            typeof s?.sessionId === 'string' && typeof s?.userId === 'string',
        )
      );
    case 'roles':
    case 'signing-keys':
      return true;
    default:
      return false;
  }
}
