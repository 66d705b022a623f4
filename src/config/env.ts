import { createPrivateKey, KeyObject } from 'node:crypto';
import { resolve } from 'node:path';
import { passwordProblem } from '../common/passwords/password-rules';
import { CloudinaryAccount, parseCloudinaryUrl } from './cloudinary-url';
import { parseDuration } from './duration';

/** A rate limit written `count/window`, e.g. `20/1m`. */
export interface RateLimit {
  limit: number;
  ttlMs: number;
}

/** A sign-in provider: Google and generic ones through OpenID Connect, Facebook through OAuth 2.0. */
export type OAuthProviderSettings = {
  /** The route segment and the name clients see: `google`, `facebook`, or a generic one's name. */
  name: string;
  clientId: string;
  clientSecret: string;
} & ({ kind: 'oidc'; issuer: string } | { kind: 'facebook'; dialogUrl: string; graphUrl: string });

/**
 * Every setting of the service, parsed and validated from the environment in one place.
 * `parseEnv` collects every problem and throws one error that names each bad variable.
 */
export interface Env {
  app: {
    nodeEnv: string;
    production: boolean;
    port: number;
    corsOrigins: string[];
    trustProxy: boolean;
    /** Graceful shutdown: serve on (readiness failing) this long, then let requests finish within `shutdownTimeoutMs`. */
    shutdownDrainMs: number;
    shutdownTimeoutMs: number;
    logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  };
  /**
   * GET /metrics: with a `token` (METRICS_TOKEN) it asks for that bearer; without one it is open
   * outside production and off in production (`enabled` false), like CORS there: nothing is
   * exposed until the operator says so.
   */
  metrics: { enabled: boolean; token?: string };
  database: {
    mongoUri?: string;
    devDb: 'auto' | 'java' | 'mongod';
    /** Every query's deadline (MONGO_OPERATION_TIMEOUT): past it, the request answers 503. */
    operationTimeoutMs: number;
  };
  jwt: {
    /**
     * What the refresh-rotation key is derived from (HKDF, its own label, in the sessions
     * service): TOTP_ENCRYPTION_KEY, a secret production requires (JWT_ACCESS_SECRET is gone).
     */
    refreshRotationSecret: Buffer;
    accessTtlMs: number;
    refreshTtlMs: number;
    sessionIdleTtlMs: number;
    refreshGraceMs: number;
    issuer: string;
    audience: string;
  };
  /**
   * The keys that sign access and mfa tokens (ES256). Kept in MongoDB, private parts encrypted
   * under `encryptionKey` (TOTP_ENCRYPTION_KEY), rotated every `rotationMs`, each next key
   * published `publishAheadMs` before it signs; or one key pinned by JWT_SIGNING_KEY.
   */
  signingKeys: {
    pinned?: KeyObject;
    rotationMs: number;
    publishAheadMs: number;
    encryptionKey: Buffer;
    /** JWT_ACCESS_SECRET is still set: no longer used, warned about at start. */
    legacySecretSet: boolean;
  };
  password: {
    minLength: number;
    /** Which hash new passwords get; stored hashes name their own and are re-hashed at login. */
    hash: 'bcrypt' | 'argon2id';
    bcryptCost: number;
    argon2MemoryKib: number;
    argon2TimeCost: number;
    pepper: string;
  };
  otp: { ttlMs: number; maxAttempts: number; resendCooldownMs: number };
  /** Accounts that never verified are deleted this long after their last code expired. */
  /**
   * Accounts that never verified are deleted this long after their last code expired; an
   * invitation's code lives `invitationTtlMs`.
   */
  users: { pendingAccountTtlMs: number; invitationTtlMs: number; exportPasswordHashes: boolean };
  login: {
    emailOtp: boolean;
    lockoutThreshold: number;
    lockoutDurationMs: number;
    /** Failures per account per hour, from any IPs, before the whole account locks. */
    accountLockoutThreshold: number;
  };
  mail: { smtpUrl?: string; from: string };
  /** `dir` is absolute; `cloudinary` is set whenever CLOUDINARY_URL is. */
  assets: {
    storage: 'local' | 'cloudinary';
    dir: string;
    maxBytes: number;
    cloudinary?: CloudinaryAccount;
  };
  admin: { email?: string; password?: string };
  rateLimit: { auth: RateLimit; default: RateLimit };
  redis: { url?: string };
  /** TOTP secrets are stored AES-256-GCM encrypted under `encryptionKey` (32 bytes). */
  totp: { encryptionKey: Buffer; issuer: string };
  oauth: {
    /** This API's public origin (and path prefix, if any); callback URLs are built on it. */
    publicUrl: string;
    /** Front-end URLs a sign-in may return to, compared exactly (after URL normalisation). */
    redirectAllowlist: string[];
    providers: OAuthProviderSettings[];
  };
  /** The passkeys' relying party: its id (a domain) and the origins a ceremony may run on. */
  webauthn: { rpId: string; rpName: string; origins: string[] };
  /**
   * The OpenID provider (issuer: `oauth.publicUrl`): the APIs its JWT access tokens may be for
   * (RFC 8707 resource indicators, OIDC_RESOURCES); the first is the default for client_credentials.
   */
  oidc: { resources: string[] };
  /**
   * Outgoing webhooks: the retry schedule (delays after each failed attempt, about a day in all),
   * each attempt's deadline, how long a rotated secret still signs, and whether http and private
   * or loopback addresses may be called (never in production unless told).
   */
  webhooks: {
    /** Off (WEBHOOK_DELIVERY=false): this instance writes the outbox but sends nothing. */
    deliver: boolean;
    retryScheduleMs: number[];
    timeoutMs: number;
    pollIntervalMs: number;
    concurrency: number;
    secretOverlapMs: number;
    allowPrivateNetworks: boolean;
    /** How often the sweeper looks for user changes whose event a crash lost. */
    sweepIntervalMs: number;
    /** How old a change must be before the sweeper takes it (the listener's path wins first). */
    sweepSettleMs: number;
  };
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

/** CORS origins outside production when CORS_ORIGINS is unset: the usual front-end dev servers. */
export const DEV_CORS_ORIGINS = [
  'http://localhost:3000',
  'http://localhost:5173',
  'http://localhost:4200',
  'http://localhost:8080',
];

/** Public default pepper: pre-hashing still works without secrecy; production refuses it. */
const DEFAULT_PEPPER = 'user-management-default-pepper';
/** Peppers anyone can read in this repository (the default, and docker-compose.yml's old fallback). */
const PUBLIC_PEPPERS = [DEFAULT_PEPPER, 'change-me-to-a-long-random-value'];
/**
 * Public development key for TOTP secrets, fixed (unlike the JWT secret) so that secrets stored
 * by one development start still decrypt at the next; production refuses it.
 */
export const DEV_TOTP_ENCRYPTION_KEY = 'dXNlci1tYW5hZ2VtZW50LWRldi10b3RwLWtleS0zMmI=';

/** 32 bytes written as 64 hex digits or as base64 (either alphabet, padding optional). */
function decodeKey(text: string): Buffer | undefined {
  if (/^[0-9a-f]{64}$/i.test(text)) return Buffer.from(text, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) return undefined;
  const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return key.length === 32 ? key : undefined;
}

type Source = Record<string, string | undefined>;

/** The shortest JWT_KEY_PUBLISH_AHEAD: longer than the JWKS max-age plus an instance's reload. */
const MIN_PUBLISH_AHEAD_MS = 15 * 60_000;

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Source) {}

  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max} (got "${text}")`);
      return fallback;
    }
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const text = this.raw(name)?.toLowerCase();
    if (text === undefined) return fallback;
    if (['true', '1', 'yes'].includes(text)) return true;
    if (['false', '0', 'no'].includes(text)) return false;
    this.problems.push(`${name} must be true or false (got "${text}")`);
    return fallback;
  }

  duration(name: string, fallback: string, options: { allowZero?: boolean } = {}): number {
    const text = this.raw(name) ?? fallback;
    const ms = parseDuration(text);
    if (ms === undefined || (ms === 0 && !options.allowZero)) {
      const zero = options.allowZero ? ' (0s turns it off)' : '';
      this.problems.push(
        `${name} must be a duration such as 60s, 15m, 24h or 7d${zero} (got "${text}")`,
      );
      return parseDuration(fallback) as number;
    }
    return ms;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(text)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${text}")`);
      return fallback;
    }
    return text as T;
  }

  rateLimit(name: string, fallback: string): RateLimit {
    const text = this.raw(name) ?? fallback;
    const [count, window] = text.split('/');
    const ttlMs = window === undefined ? undefined : parseDuration(window);
    if (!/^\d+$/.test(count ?? '') || Number(count) < 1 || ttlMs === undefined) {
      this.problems.push(`${name} must be count/window such as 20/1m (got "${text}")`);
      return { limit: 1, ttlMs: 60_000 };
    }
    return { limit: Number(count), ttlMs };
  }

  url(name: string, protocols: string[]): string | undefined {
    const text = this.raw(name);
    if (text === undefined) return undefined;
    try {
      const url = new URL(text);
      if (!protocols.includes(url.protocol)) throw new Error('protocol');
      return text;
    } catch {
      this.problems.push(`${name} must be a ${protocols.join(' or ')}// URL`);
      return undefined;
    }
  }

  require(name: string, why: string): void {
    if (this.raw(name) === undefined) this.problems.push(`${name} is required ${why}`);
  }
}

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** A provider endpoint: https, or http on loopback outside production (tests, local providers). */
function providerUrl(r: Reader, name: string, fallback: string, production: boolean): string {
  const text = (r.raw(name) ?? fallback).replace(/\/+$/, '');
  try {
    const url = new URL(text);
    const loopback = url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname);
    if (url.protocol !== 'https:' && !(loopback && !production)) throw new Error('scheme');
    return text;
  } catch {
    r.problems.push(
      `${name} must be an https:// URL (http:// only on loopback, outside production) (got "${text}")`,
    );
    return fallback;
  }
}

/** Google, Facebook and every OAUTH_OIDC_<NAME>_* group, each with its client id and secret. */
function readProviders(r: Reader, env: Source, production: boolean): OAuthProviderSettings[] {
  const client = (prefix: string) => {
    const clientId = r.raw(`${prefix}_CLIENT_ID`);
    const clientSecret = r.raw(`${prefix}_CLIENT_SECRET`);
    if ((clientId === undefined) !== (clientSecret === undefined))
      r.problems.push(`${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET must be set together`);
    return clientId && clientSecret ? { clientId, clientSecret } : undefined;
  };
  const providers: OAuthProviderSettings[] = [];
  const google = client('OAUTH_GOOGLE');
  if (google) {
    const issuer = providerUrl(r, 'OAUTH_GOOGLE_ISSUER', 'https://accounts.google.com', production);
    providers.push({ name: 'google', kind: 'oidc', issuer, ...google });
  }
  const facebook = client('OAUTH_FACEBOOK');
  if (facebook) {
    providers.push({
      name: 'facebook',
      kind: 'facebook',
      dialogUrl: providerUrl(
        r,
        'OAUTH_FACEBOOK_DIALOG_URL',
        'https://www.facebook.com/v21.0/dialog/oauth',
        production,
      ),
      graphUrl: providerUrl(
        r,
        'OAUTH_FACEBOOK_GRAPH_URL',
        'https://graph.facebook.com/v21.0',
        production,
      ),
      ...facebook,
    });
  }
  const generic = new Set<string>();
  for (const key of Object.keys(env)) {
    const match = /^OAUTH_OIDC_([A-Z0-9_]+?)_(ISSUER|CLIENT_ID|CLIENT_SECRET)$/.exec(key);
    if (match && r.raw(key) !== undefined) generic.add(match[1]);
  }
  for (const upper of [...generic].sort()) {
    const prefix = `OAUTH_OIDC_${upper}`;
    const name = upper.toLowerCase().replace(/_/g, '-');
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name) || ['google', 'facebook'].includes(name)) {
      r.problems.push(
        `${prefix}_*: the provider name must be letters and digits, and not google or facebook`,
      );
      continue;
    }
    const settings = client(prefix);
    if (r.raw(`${prefix}_ISSUER`) === undefined) {
      r.problems.push(`${prefix}_ISSUER is required with ${prefix}_CLIENT_ID`);
      continue;
    }
    const issuer = providerUrl(r, `${prefix}_ISSUER`, 'https://invalid.example', production);
    if (settings) providers.push({ name, kind: 'oidc', issuer, ...settings });
  }
  return providers;
}

/**
 * WEBAUTHN_RP_ID (a domain; default PUBLIC_URL's host) and WEBAUTHN_ORIGINS (comma-separated
 * origins; default PUBLIC_URL's origin). Each origin's host must be the RP id or under it, or
 * every ceremony would fail at the browser: refused at start instead.
 */
function readWebAuthn(r: Reader, publicUrl: string): Env['webauthn'] {
  const base = new URL(publicUrl);
  const rpId = (r.raw('WEBAUTHN_RP_ID') ?? base.hostname).trim().toLowerCase();
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(rpId))
    r.problems.push(
      'WEBAUTHN_RP_ID must be a domain name (no scheme, port or path), such as example.com',
    );
  const listed = r.raw('WEBAUTHN_ORIGINS');
  const origins: string[] = [];
  for (const entry of (listed ?? base.origin)
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    if (
      !url ||
      !['http:', 'https:'].includes(url.protocol) ||
      url.origin !== entry.replace(/\/$/, '')
    )
      r.problems.push(`WEBAUTHN_ORIGINS: ${entry} is not an origin (scheme://host[:port])`);
    else if (url.hostname !== rpId && !url.hostname.endsWith(`.${rpId}`))
      r.problems.push(`WEBAUTHN_ORIGINS: ${entry} is not on WEBAUTHN_RP_ID (${rpId}) or under it`);
    else origins.push(url.origin);
  }
  return { rpId, rpName: r.string('WEBAUTHN_RP_NAME', 'User management'), origins };
}

/** A comma-separated list of durations (the delays between webhook attempts), at most 20. */
function readSchedule(r: Reader, name: string, fallback: string): number[] {
  const text = r.raw(name) ?? fallback;
  const delays = text.split(',').map((part) => parseDuration(part));
  if (delays.length > 20 || delays.some((ms) => ms === undefined)) {
    r.problems.push(
      `${name} must be up to 20 comma-separated durations such as 5s,5m,30m (got "${text}")`,
    );
    return fallback.split(',').map((part) => parseDuration(part) as number);
  }
  return delays as number[];
}

/** OIDC_RESOURCES: absolute http(s) URLs without a fragment; by default this API's own. */
function readResources(r: Reader, publicUrl: string): string[] {
  const text = r.raw('OIDC_RESOURCES');
  if (text === undefined) return [`${publicUrl}/api`];
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const valid = entries.filter((entry) => {
    const url = URL.parse(entry);
    return url && ['http:', 'https:'].includes(url.protocol) && !url.hash;
  });
  if (valid.length === 0 || valid.length !== entries.length)
    r.problems.push(
      'OIDC_RESOURCES must be absolute http(s) URLs without a fragment, comma-separated',
    );
  return valid;
}

/** Front-end return URLs: absolute, no fragment, never a script or data URL (custom app schemes are fine). */
function readAllowlist(r: Reader): string[] {
  const entries = (r.raw('OAUTH_REDIRECT_ALLOWLIST') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries.flatMap((entry) => {
    try {
      const url = new URL(entry);
      if (
        ['javascript:', 'data:', 'file:', 'vbscript:', 'blob:'].includes(url.protocol) ||
        url.hash
      )
        throw new Error('unsafe');
      return [url.href];
    } catch {
      r.problems.push(
        `OAUTH_REDIRECT_ALLOWLIST entries must be absolute URLs without a fragment (got "${entry}")`,
      );
      return [];
    }
  });
}

/**
 * JWT_SIGNING_KEY: an EC P-256 private key in PEM (newlines may be written `\\n`). Ed25519 is
 * refused: jsonwebtoken, under @nestjs/jwt and passport-jwt, has no EdDSA.
 */
function readSigningKey(r: Reader): KeyObject | undefined {
  const text = r.raw('JWT_SIGNING_KEY')?.replace(/\\n/g, '\n');
  if (text === undefined) return undefined;
  let key: KeyObject | undefined;
  try {
    key = createPrivateKey(text);
  } catch {
    key = undefined;
  }
  if (key?.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1')
    return key;
  r.problems.push(
    key?.asymmetricKeyType === 'ed25519'
      ? 'JWT_SIGNING_KEY must be an EC P-256 key: Ed25519 (EdDSA) is not supported by the JWT library (jsonwebtoken)'
      : 'JWT_SIGNING_KEY must be an EC P-256 private key in PEM (openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt)',
  );
  return undefined;
}

export function parseEnv(env: Source): Env {
  const r = new Reader(env);
  const nodeEnv = r.string('NODE_ENV', 'development');
  const production = nodeEnv === 'production';
  if (production) {
    r.require('MONGO_URI', 'in production (NODE_ENV=production)');
    const pepper = r.raw('PASSWORD_PEPPER');
    if (pepper === undefined) {
      r.problems.push(
        'PASSWORD_PEPPER is required in production (NODE_ENV=production): a long random value of your own',
      );
    } else if (PUBLIC_PEPPERS.includes(pepper)) {
      r.problems.push(
        'PASSWORD_PEPPER must not be a public default in production (NODE_ENV=production): set a long random value of your own',
      );
    }
  }
  const storage = r.oneOf('ASSET_STORAGE', ['local', 'cloudinary'] as const, 'local');
  const cloudinaryUrl = r.raw('CLOUDINARY_URL');
  const cloudinary = cloudinaryUrl === undefined ? undefined : parseCloudinaryUrl(cloudinaryUrl);
  if (typeof cloudinary === 'string') r.problems.push(cloudinary);
  else if (storage === 'cloudinary' && cloudinary === undefined) {
    r.problems.push('CLOUDINARY_URL is required when ASSET_STORAGE=cloudinary');
  }
  const totpKeyText = r.raw('TOTP_ENCRYPTION_KEY');
  if (production && totpKeyText === undefined) {
    r.problems.push(
      'TOTP_ENCRYPTION_KEY is required in production (NODE_ENV=production): 32 random bytes, base64 (openssl rand -base64 32)',
    );
  } else if (production && totpKeyText === DEV_TOTP_ENCRYPTION_KEY) {
    r.problems.push(
      'TOTP_ENCRYPTION_KEY must not be the public development key in production (NODE_ENV=production)',
    );
  }
  const totpKey = decodeKey(totpKeyText ?? DEV_TOTP_ENCRYPTION_KEY);
  if (totpKey === undefined) {
    r.problems.push(
      'TOTP_ENCRYPTION_KEY must be 32 bytes written as base64 or as 64 hex digits (openssl rand -base64 32)',
    );
  }
  const keyRotationMs = r.duration('JWT_KEY_ROTATION', '90d');
  const publishAheadMs = r.duration('JWT_KEY_PUBLISH_AHEAD', '1d');
  if (publishAheadMs < MIN_PUBLISH_AHEAD_MS || publishAheadMs >= keyRotationMs)
    r.problems.push(
      'JWT_KEY_PUBLISH_AHEAD must be at least 15m (the JWKS cache lifetime and more) and shorter than JWT_KEY_ROTATION',
    );
  const port = r.int('PORT', 3000, 0, 65535);
  const providers = readProviders(r, env, production);
  const redirectAllowlist = readAllowlist(r);
  if (providers.length > 0 && redirectAllowlist.length === 0)
    r.problems.push('OAUTH_REDIRECT_ALLOWLIST is required when a sign-in provider is configured');
  if (providers.length > 0 && production)
    r.require('PUBLIC_URL', 'in production with a sign-in provider');
  const publicUrl = (
    r.url('PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`
  ).replace(/\/+$/, '');
  let metricsToken = r.raw('METRICS_TOKEN');
  if (metricsToken !== undefined && !/^[\x21-\x7e]{32,}$/.test(metricsToken)) {
    r.problems.push(
      'METRICS_TOKEN must be at least 32 printable ASCII characters without spaces (openssl rand -hex 32)',
    );
    metricsToken = undefined;
  }
  const adminEmail = r.raw('ADMIN_EMAIL')?.toLowerCase();
  const adminPassword = r.raw('ADMIN_PASSWORD');
  if ((adminEmail === undefined) !== (adminPassword === undefined)) {
    r.problems.push('ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  }
  const passwordMinLength = r.int('PASSWORD_MIN_LENGTH', 12, 8, 128);
  // The admin's password follows the rules every other password does (5 characters made an admin).
  const adminPasswordProblem =
    adminPassword === undefined ? undefined : passwordProblem(adminPassword, passwordMinLength);
  if (adminPasswordProblem) r.problems.push(`ADMIN_PASSWORD ${adminPasswordProblem}`);

  const result: Env = {
    app: {
      nodeEnv,
      production,
      port,
      // Production allows no origin unless told; elsewhere the usual dev servers (CRA/Next, Vite, Angular, Vue CLI).
      corsOrigins: (r.raw('CORS_ORIGINS')?.split(',') ?? (production ? [] : DEV_CORS_ORIGINS))
        .map((o) => o.trim())
        .filter(Boolean),
      trustProxy: r.bool('TRUST_PROXY', false),
      shutdownDrainMs: r.duration('SHUTDOWN_DRAIN', '0s', { allowZero: true }),
      shutdownTimeoutMs: r.duration('SHUTDOWN_TIMEOUT', '10s'),
      logLevel: r.oneOf(
        'LOG_LEVEL',
        ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
        'info',
      ),
    },
    metrics: { enabled: metricsToken !== undefined || !production, token: metricsToken },
    database: {
      mongoUri: r.url('MONGO_URI', ['mongodb:', 'mongodb+srv:']),
      devDb: r.oneOf('DEV_DB', ['auto', 'java', 'mongod'] as const, 'auto'),
      operationTimeoutMs: r.duration('MONGO_OPERATION_TIMEOUT', '5s'),
    },
    jwt: {
      refreshRotationSecret: totpKey ?? Buffer.alloc(32),
      accessTtlMs: r.duration('JWT_ACCESS_TTL', '15m'),
      refreshTtlMs: r.duration('JWT_REFRESH_TTL', '7d'),
      sessionIdleTtlMs: r.duration('SESSION_IDLE_TTL', '24h'),
      refreshGraceMs: r.duration('JWT_REFRESH_GRACE', '10s', { allowZero: true }),
      issuer: r.string('JWT_ISSUER', 'user-management'),
      audience: r.string('JWT_AUDIENCE', 'user-management-api'),
    },
    signingKeys: {
      pinned: readSigningKey(r),
      rotationMs: keyRotationMs,
      publishAheadMs,
      encryptionKey: totpKey ?? Buffer.alloc(32),
      legacySecretSet: r.raw('JWT_ACCESS_SECRET') !== undefined,
    },
    password: {
      minLength: passwordMinLength,
      hash: r.oneOf('PASSWORD_HASH', ['bcrypt', 'argon2id'] as const, 'bcrypt'),
      bcryptCost: r.int('BCRYPT_COST', 11, 4, 15),
      argon2MemoryKib: r.int('ARGON2_MEMORY_KIB', 19_456, 1_024, 1_048_576),
      argon2TimeCost: r.int('ARGON2_TIME_COST', 2, 1, 20),
      pepper: r.string('PASSWORD_PEPPER', DEFAULT_PEPPER),
    },
    otp: {
      ttlMs: r.duration('OTP_TTL', '5m'),
      maxAttempts: r.int('OTP_MAX_ATTEMPTS', 5, 1, 20),
      resendCooldownMs: r.duration('OTP_RESEND_COOLDOWN', '60s'),
    },
    users: {
      pendingAccountTtlMs: r.duration('PENDING_ACCOUNT_TTL', '7d'),
      invitationTtlMs: r.duration('INVITATION_TTL', '7d'),
      exportPasswordHashes: r.bool('EXPORT_PASSWORD_HASHES', false),
    },
    login: {
      emailOtp: r.bool('LOGIN_EMAIL_OTP', true),
      lockoutThreshold: r.int('LOCKOUT_THRESHOLD', 5, 1, 100),
      accountLockoutThreshold: r.int('LOCKOUT_ACCOUNT_THRESHOLD', 50, 5, 100_000),
      lockoutDurationMs: r.duration('LOCKOUT_DURATION', '15m'),
    },
    mail: {
      smtpUrl: r.url('SMTP_URL', ['smtp:', 'smtps:']),
      from: r.string('MAIL_FROM', 'User Management <no-reply@localhost>'),
    },
    assets: {
      storage,
      dir: resolve(r.string('ASSET_DIR', '.data/assets')),
      maxBytes: r.int('ASSET_MAX_BYTES', 5_242_880, 1, 1_073_741_824),
      ...(typeof cloudinary === 'object' ? { cloudinary } : {}),
    },
    admin: { email: adminEmail, password: adminPassword },
    rateLimit: {
      // Development is generous, so a person clicking through Swagger is not stopped; the
      // production default (and any other NODE_ENV's) stays strict.
      auth: r.rateLimit('RATE_LIMIT_AUTH', nodeEnv === 'development' ? '200/1m' : '20/1m'),
      default: r.rateLimit('RATE_LIMIT_DEFAULT', '300/1m'),
    },
    redis: { url: r.url('REDIS_URL', ['redis:', 'rediss:']) },
    totp: {
      encryptionKey: totpKey ?? Buffer.alloc(32),
      issuer: r.string('TOTP_ISSUER', 'User management'),
    },
    oauth: { publicUrl, redirectAllowlist, providers },
    webauthn: readWebAuthn(r, publicUrl),
    oidc: { resources: readResources(r, publicUrl) },
    webhooks: {
      deliver: r.bool('WEBHOOK_DELIVERY', true),
      retryScheduleMs: readSchedule(r, 'WEBHOOK_RETRY_SCHEDULE', '5s,5m,30m,2h,5h,10h,10h'),
      timeoutMs: r.duration('WEBHOOK_TIMEOUT', '10s'),
      pollIntervalMs: r.duration('WEBHOOK_POLL_INTERVAL', '1s'),
      concurrency: r.int('WEBHOOK_CONCURRENCY', 8, 1, 256),
      secretOverlapMs: r.duration('WEBHOOK_SECRET_OVERLAP', '24h', { allowZero: true }),
      allowPrivateNetworks: r.bool('WEBHOOK_ALLOW_PRIVATE_NETWORKS', !production),
      sweepIntervalMs: r.duration('WEBHOOK_SWEEP_INTERVAL', '1m'),
      sweepSettleMs: r.duration('WEBHOOK_SWEEP_SETTLE', '30s'),
    },
  };
  if (r.problems.length > 0) throw new ConfigValidationError(r.problems);
  return result;
}
