import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { CACHE_MAX_ENTRIES } from '../common/cache-size';
import { Clock } from '../common/time/clock';
import { CacheInvalidations } from '../cluster/cache-invalidations';
import { LinkedIdentityDto } from './dto/linked-identity.dto';

/**
 * How long an instance that did not hear of a change may show a stale `hasPassword`/`identities`
 * (same as the session cache).
 */
export const ME_EXTRAS_TTL_MS = 5_000;

export interface MeExtras {
  hasPassword: boolean;
  identities: LinkedIdentityDto[];
}

/**
 * What `GET /users/me` adds to the cached user (whether a password is set, the linked
 * identities), cached per user so the hot path stays free of queries. Every change to the user
 * (`users.changed`: password set, identity linked or removed, profile) drops the entry at once,
 * on every instance through the user's cache invalidation; without Redis, other instances keep it
 * at most ME_EXTRAS_TTL_MS.
 */
@Injectable()
export class MeExtrasCache {
  private readonly entries = new LRUCache<string, { extras: MeExtras; until: number }>({
    max: CACHE_MAX_ENTRIES,
  });
  /** Counts evictions: an answer loaded while one happened may predate it and is not kept. */
  private evictions = 0;

  constructor(
    private readonly clock: Clock,
    invalidations: CacheInvalidations,
  ) {
    invalidations.on((message) => {
      if (message.kind !== 'user') return;
      this.evictions += 1;
      this.entries.delete(message.userId);
    });
  }

  async get(userId: string, load: () => Promise<MeExtras>): Promise<MeExtras> {
    const now = this.clock.now().getTime();
    const entry = this.entries.get(userId);
    if (entry && entry.until > now) return entry.extras;
    const generation = this.evictions;
    const extras = await load();
    if (generation === this.evictions)
      this.entries.set(userId, { extras, until: now + ME_EXTRAS_TTL_MS });
    return extras;
  }
}
