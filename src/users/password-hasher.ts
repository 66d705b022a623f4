import { Inject, Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import * as bcrypt from 'bcrypt';
import { createHmac } from 'node:crypto';
import { passwordConfig, PasswordConfig } from '../config/configuration';
import { HashSlots } from './hash-slots';
import { classifyLegacyHash, LEGACY_KINDS, LEGACY_PREFIX, verifyLegacyHash } from './legacy-hashes';

/**
 * Stored hashes name their scheme: `<scheme>$<hash>`. Both pre-hash the password with
 * HMAC-SHA-256(pepper, NFKC(password)) in base64 (44 bytes): bcrypt reads only 72 bytes, so
 * every character counts, and a stolen database without the pepper is not enough to guess.
 */
const SCHEMES = { bcrypt: 'hs256-bcrypt', argon2id: 'hs256-argon2id' } as const;

export interface PasswordCheck {
  ok: boolean;
  /** True when the hash predates the configured scheme or cost: re-hash after a successful login. */
  needsRehash: boolean;
}

/**
 * bcrypt (the default) or argon2id (`PASSWORD_HASH`), both on libuv's thread pool, off the event
 * loop; argon2id at most one hash per core at a time (see HashSlots: its 19 MiB per hash is what
 * contends, bcrypt's 4 KiB state does not). Switching schemes needs no migration: each user is
 * re-hashed at their next login, in either direction, because `verify` reads the scheme from the
 * stored hash.
 */
@Injectable()
export class PasswordHasher {
  private dummyHash?: Promise<string>;
  private readonly argon2Slots = new HashSlots();

  constructor(@Inject(passwordConfig.KEY) private readonly config: PasswordConfig) {}

  async hash(password: string): Promise<string> {
    const input = this.prehash(password);
    if (this.config.hash === 'argon2id') {
      const hash = await this.argon2Slots.run(() => argon2.hash(input, this.argon2Options()));
      return `${SCHEMES.argon2id}$${hash}`;
    }
    return `${SCHEMES.bcrypt}$${await bcrypt.hash(input, this.config.bcryptCost)}`;
  }

  async verify(password: string, stored: string): Promise<PasswordCheck> {
    const [scheme, hash] = splitOnce(stored, '$');
    // A lone surrogate would hash as U+FFFD and match another input: no policy-accepted password has one.
    if (!hash || /\p{Cs}/u.test(password)) return { ok: false, needsRehash: false };
    const input = this.prehash(password);
    const current = SCHEMES[this.config.hash];
    if (scheme === SCHEMES.bcrypt) {
      const ok = await bcrypt.compare(input, hash);
      const stale = scheme !== current || bcrypt.getRounds(hash) !== this.config.bcryptCost;
      return { ok, needsRehash: ok && stale };
    }
    if (scheme === SCHEMES.argon2id) {
      const ok = await this.argon2Slots.run(() => argon2.verify(hash, input)).catch(() => false);
      if (!ok) return { ok, needsRehash: false };
      const stale = scheme !== current || argon2.needsRehash(hash, this.argon2Options());
      return { ok, needsRehash: stale };
    }
    if (scheme.startsWith(LEGACY_PREFIX)) {
      // An imported hash: checked in its own format, then always re-hashed with ours.
      const kind = scheme.slice(LEGACY_PREFIX.length);
      const ok = await this.argon2Slots.run(() => verifyLegacyHash(kind, hash, password));
      return { ok, needsRehash: ok };
    }
    return { ok: false, needsRehash: false };
  }

  /**
   * What the import stores for a `passwordHash` it was given: a foreign hash (see
   * legacy-hashes.ts) as `legacy-<kind>$<hash>`, or one of our own stored forms as it is (an
   * export of this service, moved with the same PASSWORD_PEPPER). A reason when it is neither.
   */
  storedFormOf(given: string): { stored: string } | { error: string } {
    const [scheme, rest] = splitOnce(given, '$');
    if (rest !== undefined && scheme.startsWith(LEGACY_PREFIX)) {
      const kind = scheme.slice(LEGACY_PREFIX.length);
      const classified = classifyLegacyHash(rest);
      if ('kind' in classified && classified.kind === kind) return { stored: given };
      if (!(LEGACY_KINDS as readonly string[]).includes(kind))
        return { error: 'passwordHash is not in a supported format' };
      return 'error' in classified ? classified : { error: 'passwordHash does not match its kind' };
    }
    if (rest !== undefined && (scheme === SCHEMES.bcrypt || scheme === SCHEMES.argon2id)) {
      const inner = classifyLegacyHash(rest);
      const expected = scheme === SCHEMES.bcrypt ? 'bcrypt' : 'argon2';
      return 'kind' in inner && inner.kind === expected
        ? { stored: given }
        : { error: 'passwordHash is not in a supported format' };
    }
    const classified = classifyLegacyHash(given);
    return 'kind' in classified
      ? { stored: `${LEGACY_PREFIX}${classified.kind}$${given}` }
      : classified;
  }

  /** Spends the same time as a real check, for unknown accounts (no timing oracle); never ok. */
  async verifyDummy(password: string): Promise<PasswordCheck> {
    this.dummyHash ??= this.hash('dummy password that matches no account');
    await this.verify(password, await this.dummyHash);
    return { ok: false, needsRehash: false };
  }

  /** OWASP's argon2id baseline by default (19 MiB, 2 passes); one lane: one core per hash. */
  private argon2Options() {
    return {
      type: argon2.argon2id as typeof argon2.argon2id,
      memoryCost: this.config.argon2MemoryKib,
      timeCost: this.config.argon2TimeCost,
      parallelism: 1,
    };
  }

  private prehash(password: string): string {
    return createHmac('sha256', this.config.pepper)
      .update(password.normalize('NFKC'), 'utf8')
      .digest('base64');
  }
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
