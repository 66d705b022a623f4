import { KeyObject } from 'node:crypto';
import { KeyPair, SIGNING_ALGORITHM } from './key-material';
import { PublicEcJwk } from './signing-key.schema';

/** A key of the set, loaded: sequence, dates and both halves. */
export interface LoadedKey extends KeyPair {
  seq: number;
  createdAt: Date;
  activatesAt: Date;
}

export type KeyState = 'next' | 'current' | 'retired';

export interface KeyStatus {
  key: LoadedKey;
  state: KeyState;
  /** When a later key took over (retired keys only). */
  retiredAt?: Date;
  /** When the key stops verifying and leaves the set: retired + the grace. */
  dropsAt?: Date;
}

/** One entry of the published JWKS (RFC 7517 §4). */
export type PublicJwk = PublicEcJwk & { kid: string; use: 'sig'; alg: typeof SIGNING_ALGORITHM };

/**
 * The signing keys at one load, and every decision that follows from their dates: the key that
 * signs now is the latest (by sequence) whose `activatesAt` has come; every earlier key is
 * retired from the moment a later one activated and still verifies for `graceMs` (the longest a
 * token it signed can live, and a margin), then drops. All instances decide the same from the
 * same documents, so they switch together without talking to each other.
 */
export class KeySet {
  /** Per kid: the public key, and until when (ms) it verifies (Infinity when not retired). */
  private readonly verifiers = new Map<string, { key: KeyObject; until: number }>();

  constructor(
    /** Sorted by sequence, oldest first. */
    readonly keys: readonly LoadedKey[],
    readonly graceMs: number,
  ) {
    for (const status of this.statuses(new Date(8.64e15)))
      this.verifiers.set(status.key.kid, {
        key: status.key.publicKey,
        until: status.dropsAt?.getTime() ?? Infinity,
      });
  }

  /**
   * The key that signs at `now`. A clock that reads earlier than every activation (the first
   * key was made a moment ago on an instance whose clock is ahead, or a clock stepped back) signs
   * with the first key: nothing before it ever signed. `undefined` only for an empty set.
   */
  current(now: Date): LoadedKey | undefined {
    let current: LoadedKey | undefined = this.keys[0];
    for (const key of this.keys) if (key.activatesAt <= now) current = key;
    return current;
  }

  /** The public key for `kid`, while that key verifies. Cheap: one map lookup. */
  verifier(kid: string, nowMs: number): KeyObject | undefined {
    const entry = this.verifiers.get(kid);
    return entry && nowMs < entry.until ? entry.key : undefined;
  }

  statuses(now: Date): KeyStatus[] {
    const current = this.current(now);
    return this.keys.map((key) => {
      if (key === current) return { key, state: 'current' };
      if (!current || key.seq > current.seq) return { key, state: 'next' };
      // Retired when the first later key that has activated (by `now`) did.
      let retiredAt = current.activatesAt;
      for (const later of this.keys)
        if (later.seq > key.seq && later.activatesAt <= now && later.activatesAt < retiredAt)
          retiredAt = later.activatesAt;
      return {
        key,
        state: 'retired',
        retiredAt,
        dropsAt: new Date(retiredAt.getTime() + this.graceMs),
      };
    });
  }

  /** Retired keys whose grace is over: no token they signed can still be live. */
  droppable(now: Date): LoadedKey[] {
    return this.statuses(now)
      .filter((s) => s.dropsAt !== undefined && s.dropsAt <= now)
      .map((s) => s.key);
  }

  /** The public keys that verify at `now`: next, current and retired within their grace. */
  jwks(now: Date): { keys: PublicJwk[] } {
    const ms = now.getTime();
    return {
      keys: this.keys
        .filter((key) => this.verifier(key.kid, ms))
        .map((key) => ({ ...key.publicJwk, kid: key.kid, use: 'sig', alg: SIGNING_ALGORITHM })),
    };
  }
}
