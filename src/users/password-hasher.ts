import { Inject, Injectable } from '@nestjs/common';
import * as bcrypt from 'bcrypt';
import { createHmac } from 'node:crypto';
import { passwordConfig, PasswordConfig } from '../config/configuration';

/** Current scheme: HMAC-SHA-256(pepper, NFKC(password)) in base64 (44 bytes), then bcrypt. */
const SCHEME = 'hs256-bcrypt';

export interface PasswordCheck {
  ok: boolean;
  /** True when the hash predates the current scheme or cost: re-hash after a successful login. */
  needsRehash: boolean;
}

/**
 * bcrypt reads only 72 bytes, so the whole password is pre-hashed to 44 bytes first: every
 * character counts. bcrypt's async API runs on libuv's thread pool, off the event loop.
 */
@Injectable()
export class PasswordHasher {
  private dummyHash?: Promise<string>;

  constructor(@Inject(passwordConfig.KEY) private readonly config: PasswordConfig) {}

  async hash(password: string): Promise<string> {
    return `${SCHEME}$${await bcrypt.hash(this.prehash(password), this.config.bcryptCost)}`;
  }

  async verify(password: string, stored: string): Promise<PasswordCheck> {
    const [scheme, hash] = splitOnce(stored, '$');
    // A lone surrogate would hash as U+FFFD and match another input: no policy-accepted password has one.
    if (scheme !== SCHEME || !hash || /\p{Cs}/u.test(password))
      return { ok: false, needsRehash: false };
    const ok = await bcrypt.compare(this.prehash(password), hash);
    return { ok, needsRehash: ok && bcrypt.getRounds(hash) !== this.config.bcryptCost };
  }

  /** Spends the same time as a real check, for unknown accounts (no timing oracle); never ok. */
  async verifyDummy(password: string): Promise<PasswordCheck> {
    this.dummyHash ??= this.hash('dummy password that matches no account');
    await this.verify(password, await this.dummyHash);
    return { ok: false, needsRehash: false };
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
