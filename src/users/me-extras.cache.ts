import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { Emitted, OnDomainEvent } from '../common/events/domain-event';
import { Clock } from '../common/time/clock';
import { LinkedIdentityDto } from './dto/linked-identity.dto';

/** How long another instance may show a stale `hasPassword`/`identities` (same as the session cache). */
export const ME_EXTRAS_TTL_MS = 5_000;

export interface MeExtras {
  hasPassword: boolean;
  identities: LinkedIdentityDto[];
}

/**
 * What `GET /users/me` adds to the cached user (whether a password is set, the linked
 * identities), cached per user so the hot path stays free of queries. Every change to the user
 * (`users.changed`: password set, identity linked or removed, profile) drops the entry at once on
 * this instance; elsewhere it lives at most ME_EXTRAS_TTL_MS.
 */
@Injectable()
export class MeExtrasCache {
  private readonly entries = new LRUCache<string, { extras: MeExtras; until: number }>({
    max: 50_000,
  });

  constructor(private readonly clock: Clock) {}

  async get(userId: string, load: () => Promise<MeExtras>): Promise<MeExtras> {
    const now = this.clock.now().getTime();
    const entry = this.entries.get(userId);
    if (entry && entry.until > now) return entry.extras;
    const extras = await load();
    this.entries.set(userId, { extras, until: now + ME_EXTRAS_TTL_MS });
    return extras;
  }

  @OnDomainEvent('users.changed')
  onUserChanged({ userId }: Emitted<'users.changed'>): void {
    this.entries.delete(userId);
  }
}
