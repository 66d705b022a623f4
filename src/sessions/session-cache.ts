import { LRUCache } from 'lru-cache';
import { CACHE_MAX_ENTRIES } from '../common/cache-size';
import { UserDto } from '../users/dto/user.dto';

/** What the JWT guard needs to know about a session on every request. */
export interface SessionState {
  live: boolean;
  /** The session's user as clients see it, when live: `GET /users/me` answers from it. */
  user?: UserDto;
}

interface Entry {
  state: SessionState;
  userId: string;
  /** By the injected clock, so tests can move it. */
  until: number;
}

/**
 * A bounded per-instance cache of session liveness and the session's user, so an authenticated
 * request (and `GET /users/me`) costs no query most of the time. Keyed by session *and* user: an
 * answer cached for one token's `sub` is never served to (or overwritten by) a token naming
 * another. Every change to a user, and every revocation, evicts at once (an index by user makes
 * that cost the user's own entries, not a scan), here and, through Redis, on every instance; an
 * entry lives at most `ttlMs` in any case, which bounds how stale one can be without Redis.
 *
 * An answer read from the database while an eviction happened may predate that eviction: the
 * caller takes `generation` before reading and passes it to `set`/`setUser`, which then keep
 * nothing if any eviction came in between.
 */
export class SessionCache {
  private readonly entries: LRUCache<string, Entry>;
  private readonly byUser = new Map<string, Set<string>>();
  /** Users by id, for the paths that know the user but not a session state (refresh). */
  private readonly users: LRUCache<string, { user: UserDto; until: number }>;
  /** Counts evictions (see the class comment). */
  private evictions = 0;

  constructor(
    private readonly ttlMs: number,
    maxEntries = CACHE_MAX_ENTRIES,
  ) {
    this.entries = new LRUCache<string, Entry>({
      max: maxEntries,
      // Evicted, replaced or deleted: keep the index in step.
      dispose: (entry, key) => this.unindex(entry.userId, key),
    });
    this.users = new LRUCache({ max: maxEntries });
  }

  get generation(): number {
    return this.evictions;
  }

  getUser(userId: string, nowMs: number): UserDto | undefined {
    const entry = this.users.get(userId);
    if (!entry || entry.until <= nowMs) return undefined;
    return entry.user;
  }

  setUser(user: UserDto, nowMs: number, generation: number): void {
    if (generation !== this.evictions) return;
    this.users.set(user.id, { user, until: nowMs + this.ttlMs });
  }

  get(sessionId: string, userId: string, nowMs: number): SessionState | undefined {
    const key = cacheKey(sessionId, userId);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= nowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.state;
  }

  set(
    sessionId: string,
    userId: string,
    state: SessionState,
    nowMs: number,
    expiresAtMs: number,
    generation: number,
  ): void {
    if (generation !== this.evictions) return;
    const key = cacheKey(sessionId, userId);
    this.entries.set(key, { state, userId, until: Math.min(nowMs + this.ttlMs, expiresAtMs) });
    let keys = this.byUser.get(userId);
    if (!keys) this.byUser.set(userId, (keys = new Set()));
    keys.add(key);
  }

  evictSession(sessionId: string, userId: string): void {
    this.evictions += 1;
    this.entries.delete(cacheKey(sessionId, userId));
  }

  evictUser(userId: string): void {
    this.evictions += 1;
    this.users.delete(userId);
    for (const key of [...(this.byUser.get(userId) ?? [])]) this.entries.delete(key);
    this.byUser.delete(userId);
  }

  private unindex(userId: string, key: string): void {
    const keys = this.byUser.get(userId);
    if (!keys) return;
    keys.delete(key);
    if (keys.size === 0) this.byUser.delete(userId);
  }
}

const cacheKey = (sessionId: string, userId: string) => `${sessionId}:${userId}`;
