/** What the JWT guard needs to know about a session on every request. */
export interface SessionState {
  live: boolean;
  role: string;
}

interface Entry {
  state: SessionState;
  userId: string;
  until: number;
}

/**
 * A small per-instance cache of session liveness, so an authenticated request costs no query
 * most of the time. Keyed by session *and* user: an answer cached for one token's `sub` is never
 * served to (or overwritten by) a token naming another. Revocations on this instance evict at
 * once; on other instances an entry lives at most `ttlMs`, which bounds how stale one can be.
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
  ) {}

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
  ): void {
    if (this.entries.size >= this.maxEntries) {
      // Map iterates in insertion order: drop the oldest entry.
      this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(cacheKey(sessionId, userId), {
      state,
      userId,
      until: Math.min(nowMs + this.ttlMs, expiresAtMs),
    });
  }

  evictSession(sessionId: string, userId: string): void {
    this.entries.delete(cacheKey(sessionId, userId));
  }

  evictUser(userId: string): void {
    for (const [key, entry] of this.entries) if (entry.userId === userId) this.entries.delete(key);
  }
}

const cacheKey = (sessionId: string, userId: string) => `${sessionId}:${userId}`;
