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
 * most of the time. Revocations on this instance evict at once; on other instances an entry
 * lives at most `ttlMs`, which bounds how stale a revocation can be there.
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
  ) {}

  get(sessionId: string, nowMs: number): SessionState | undefined {
    const entry = this.entries.get(sessionId);
    if (!entry) return undefined;
    if (entry.until <= nowMs) {
      this.entries.delete(sessionId);
      return undefined;
    }
    return entry.state;
  }

  set(sessionId: string, userId: string, state: SessionState, nowMs: number, expiresAtMs: number): void {
    if (this.entries.size >= this.maxEntries) {
      // Map iterates in insertion order: drop the oldest entry.
      this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(sessionId, { state, userId, until: Math.min(nowMs + this.ttlMs, expiresAtMs) });
  }

  evictSession(sessionId: string): void {
    this.entries.delete(sessionId);
  }

  evictUser(userId: string): void {
    for (const [id, entry] of this.entries) if (entry.userId === userId) this.entries.delete(id);
  }
}
