import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { JsonWebKey, KeyObject } from 'node:crypto';
import { CacheInvalidations } from '../cluster/cache-invalidations';
import { Clock } from '../common/time/clock';
import {
  jwtConfig,
  JwtConfig,
  otpConfig,
  OtpConfig,
  signingKeysConfig,
  SigningKeysConfig,
} from '../config/configuration';
import { keyPairOf, SIGNING_ALGORITHM } from './key-material';
import { KeySet, LoadedKey, PublicJwk } from './key-set';
import { SigningKeyStore } from './signing-key.store';

/** Every instance reloads the set this often (the backstop when a broadcast was missed). */
export const KEY_RELOAD_MS = 60_000;
/** A token naming an unknown kid reloads the set at most this often (a flood costs one query). */
const UNKNOWN_KID_RELOAD_MS = 1_000;
/** Beyond the longest token lifetime, before a retired key drops: reloads, clock skew. */
export const RETIRE_MARGIN_MS = 5 * 60_000;
const KID = /^[\w-]{1,64}$/;

/**
 * The key set every instance holds in memory: what signs, and what verifies by `kid`. Both
 * halves of every key are parsed once per load, so signing and verifying never parse a key.
 * Loaded at start (creating the first key when there is none), reloaded on a timer, on a
 * `signing-keys` invalidation from another instance, and (rate-limited) for an unknown `kid`.
 */
@Injectable()
export class SigningKeys implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SigningKeys.name);
  private set = new KeySet([], 0);
  private loading?: Promise<void>;
  private lastLoadMs = -Infinity;
  private timer?: NodeJS.Timeout;
  readonly graceMs: number;

  constructor(
    private readonly store: SigningKeyStore,
    @Inject(signingKeysConfig.KEY) private readonly config: SigningKeysConfig,
    @Inject(jwtConfig.KEY) jwt: JwtConfig,
    @Inject(otpConfig.KEY) otp: OtpConfig,
    private readonly clock: Clock,
    invalidations: CacheInvalidations,
  ) {
    // The longest a token can live: an access token, or an mfa token (signed by the same key).
    this.graceMs = jwt.accessTtlMs + otp.ttlMs + RETIRE_MARGIN_MS;
    invalidations.on((message) => {
      if (message.kind === 'signing-keys') void this.reloadQuietly();
    });
  }

  get pinned(): boolean {
    return this.config.pinned !== undefined;
  }

  async onModuleInit(): Promise<void> {
    if (this.config.legacySecretSet)
      this.logger.warn(
        'JWT_ACCESS_SECRET is set but no longer used: access tokens are signed with ES256 keys ' +
          'kept in the database and rotated (JWT_KEY_ROTATION), or pinned by JWT_SIGNING_KEY; remove it',
      );
    if (this.config.pinned) {
      const key = { ...keyPairOf(this.config.pinned), seq: 0, createdAt: new Date(0) };
      this.set = new KeySet([{ ...key, activatesAt: new Date(0) }], this.graceMs);
      return;
    }
    await this.reload();
    if (this.set.keys.length === 0) {
      // Several instances starting at once each try key 0; one insert wins, all load it.
      const now = this.clock.now();
      await this.store.add(0, now, now);
      await this.reload();
    }
    this.timer = setInterval(() => void this.reloadQuietly(), KEY_RELOAD_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** The set as loaded (for the rotation and the admin listing). */
  get keySet(): KeySet {
    return this.set;
  }

  /** The key that signs now. */
  signer(): LoadedKey {
    const key = this.set.current(this.clock.now());
    if (!key) throw new Error('no signing key has activated');
    return key;
  }

  /** The public key for a token's header, if the token names a key of the set that verifies. */
  verifierFor(token: string): KeyObject | undefined {
    const kid = kidOf(token);
    return kid === undefined ? undefined : this.set.verifier(kid, this.clock.now().getTime());
  }

  /** Whether a key still verifies (for tokens verified before and remembered). */
  verifies(kid: string, nowMs: number): boolean {
    return this.set.verifier(kid, nowMs) !== undefined;
  }

  /**
   * As `verifierFor`, but a well-formed kid this instance does not know reloads the set first
   * (rate-limited): a key another instance has just added may already sign.
   */
  async resolveVerifier(token: string): Promise<KeyObject | undefined> {
    const found = this.verifierFor(token);
    if (found || this.pinned) return found;
    const kid = kidOf(token);
    if (kid === undefined || !KID.test(kid) || this.set.keys.some((k) => k.kid === kid))
      return undefined;
    // A load under way (a broadcast's) may bring the key: wait for it rather than start one.
    if (this.loading) await this.loading.catch(() => undefined);
    else if (this.clock.now().getTime() - this.lastLoadMs >= UNKNOWN_KID_RELOAD_MS)
      await this.reloadQuietly();
    return this.verifierFor(token);
  }

  jwks(): { keys: PublicJwk[] } {
    return this.set.jwks(this.clock.now());
  }

  /**
   * The keys that verify now as private JWKs, the signing key first: the shape an embedded
   * OpenID provider's key store takes (oidc-provider's `jwks` signs with the first key).
   */
  privateJwks(): JsonWebKey[] {
    const now = this.clock.now();
    const current = this.set.current(now);
    const kids = new Set(this.set.jwks(now).keys.map((key) => key.kid));
    return this.set.keys
      .filter((key) => kids.has(key.kid))
      .sort((a, b) => Number(b === current) - Number(a === current))
      .map((key) => ({
        ...key.privateKey.export({ format: 'jwk' }),
        kid: key.kid,
        use: 'sig',
        alg: SIGNING_ALGORITHM,
      }));
  }

  /** Reads the set from the database again (one load at a time; callers share it). */
  reload(): Promise<void> {
    if (this.pinned) return Promise.resolve();
    const loading = (this.loading ??= this.load().finally(() => {
      if (this.loading === loading) this.loading = undefined;
    }));
    return loading;
  }

  private async load(): Promise<void> {
    this.lastLoadMs = this.clock.now().getTime();
    const known = new Map(this.set.keys.map((key) => [key.kid, key]));
    this.set = new KeySet(await this.store.load(known), this.graceMs);
  }

  private async reloadQuietly(): Promise<void> {
    try {
      await this.reload();
    } catch (err) {
      // The set in memory stays as it was; the next reload tries again.
      this.logger.error({ err }, 'could not reload the signing keys');
    }
  }
}

/** The `kid` of a token signed with our algorithm, from its header; undefined otherwise. */
export function kidOf(token: string): string | undefined {
  try {
    const header = JSON.parse(
      Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8'),
    ) as { alg?: unknown; kid?: unknown };
    return header.alg === SIGNING_ALGORITHM && typeof header.kid === 'string'
      ? header.kid
      : undefined;
  } catch {
    return undefined;
  }
}
