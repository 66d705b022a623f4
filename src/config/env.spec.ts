import { generateKeyPairSync } from 'node:crypto';
import { resolve } from 'node:path';
import { ConfigValidationError, DEV_TOTP_ENCRYPTION_KEY, parseEnv } from './env';

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseEnv(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
}

/** The least a production start needs. */
const PRODUCTION = {
  NODE_ENV: 'production',
  MONGO_URI: 'mongodb://db:27017/app',
  PASSWORD_PEPPER: 'a long random pepper of our own',
  TOTP_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

describe(parseEnv.name, () => {
  it('reads the password hash choice and refuses an unknown one, naming the variable', () => {
    expect(parseEnv({}).password).toMatchObject({
      hash: 'bcrypt',
      argon2MemoryKib: 19_456,
      argon2TimeCost: 2,
    });
    expect(parseEnv({ PASSWORD_HASH: 'argon2id' }).password.hash).toBe('argon2id');
    expect(problemsOf({ PASSWORD_HASH: 'md5' })).toEqual([
      'PASSWORD_HASH must be one of bcrypt, argon2id (got "md5")',
    ]);
    expect(problemsOf({ ARGON2_MEMORY_KIB: '10' }).join()).toMatch(/ARGON2_MEMORY_KIB/);
  });

  it('reads OIDC_RESOURCES (default: this API) and refuses one that is not an absolute http(s) URL', () => {
    expect(parseEnv({ PUBLIC_URL: 'https://id.example.com/' }).oidc.resources).toEqual([
      'https://id.example.com/api',
    ]);
    expect(
      parseEnv({ OIDC_RESOURCES: 'https://a.example/api, https://b.example' }).oidc.resources,
    ).toEqual(['https://a.example/api', 'https://b.example']);
    for (const bad of ['reports', 'https://a.example/#x', 'ftp://a.example', ','])
      expect(problemsOf({ OIDC_RESOURCES: bad }).join()).toMatch(/OIDC_RESOURCES/);
  });

  it('applies the documented defaults', () => {
    const env = parseEnv({});
    expect(env.app.port).toBe(3000);
    expect(env.jwt.accessTtlMs).toBe(15 * 60_000);
    expect(env.jwt.refreshTtlMs).toBe(7 * 86_400_000);
    expect(env.jwt.sessionIdleTtlMs).toBe(24 * 3_600_000);
    expect(env.otp).toEqual({ ttlMs: 300_000, maxAttempts: 5, resendCooldownMs: 60_000 });
    expect(env.login).toEqual({
      emailOtp: true,
      lockoutThreshold: 5,
      lockoutDurationMs: 900_000,
      accountLockoutThreshold: 50,
    });
    expect(env.users.pendingAccountTtlMs).toBe(7 * 86_400_000);
    expect(env.rateLimit.default).toEqual({ limit: 300, ttlMs: 60_000 });
    expect(env.password.bcryptCost).toBe(11);
    expect(env.assets).toMatchObject({ storage: 'local', maxBytes: 5_242_880 });
  });

  it('opens GET /metrics outside production, keeps it off in production until METRICS_TOKEN is set, and refuses a weak token without echoing it', () => {
    expect(parseEnv({}).metrics).toEqual({ enabled: true, token: undefined });
    expect(parseEnv(PRODUCTION).metrics).toEqual({ enabled: false, token: undefined });
    const token = 'f3'.repeat(32);
    expect(parseEnv({ ...PRODUCTION, METRICS_TOKEN: token }).metrics).toEqual({
      enabled: true,
      token,
    });
    for (const weak of ['too-short-a-token', `${'x'.repeat(20)} ${'y'.repeat(20)}`]) {
      const problems = problemsOf({ METRICS_TOKEN: weak });
      expect(problems).toEqual([
        'METRICS_TOKEN must be at least 32 printable ASCII characters without spaces (openssl rand -hex 32)',
      ]);
      expect(problems.join()).not.toContain(weak);
    }
  });

  it('allows the usual front-end dev servers by CORS outside production, and no origin in production', () => {
    expect(parseEnv({}).app.corsOrigins).toEqual([
      'http://localhost:3000',
      'http://localhost:5173',
      'http://localhost:4200',
      'http://localhost:8080',
    ]);
    expect(parseEnv(PRODUCTION).app.corsOrigins).toEqual([]);
    expect(
      parseEnv({
        ...PRODUCTION,
        CORS_ORIGINS: 'https://app.example.com, https://admin.example.com',
      }).app.corsOrigins,
    ).toEqual(['https://app.example.com', 'https://admin.example.com']);
    expect(parseEnv({ CORS_ORIGINS: 'https://app.example.com' }).app.corsOrigins).toEqual([
      'https://app.example.com',
    ]);
  });

  it('limits /auth/* to 200 calls a minute in development and 20 elsewhere, unless told', () => {
    expect(parseEnv({}).rateLimit.auth).toEqual({ limit: 200, ttlMs: 60_000 });
    expect(parseEnv({ NODE_ENV: 'development' }).rateLimit.auth).toEqual({
      limit: 200,
      ttlMs: 60_000,
    });
    expect(parseEnv(PRODUCTION).rateLimit.auth).toEqual({ limit: 20, ttlMs: 60_000 });
    expect(parseEnv({ NODE_ENV: 'test' }).rateLimit.auth).toEqual({ limit: 20, ttlMs: 60_000 });
    expect(parseEnv({ RATE_LIMIT_AUTH: '5/10s' }).rateLimit.auth).toEqual({
      limit: 5,
      ttlMs: 10_000,
    });
  });

  it('reads the refresh grace period, where 0s turns it off but other zero-like text does not parse', () => {
    expect(parseEnv({}).jwt.refreshGraceMs).toBe(10_000);
    expect(parseEnv({ JWT_REFRESH_GRACE: '0s' }).jwt.refreshGraceMs).toBe(0);
    expect(problemsOf({ JWT_REFRESH_GRACE: 'none' })).toEqual([
      expect.stringContaining('JWT_REFRESH_GRACE'),
    ]);
    expect(problemsOf({ JWT_ACCESS_TTL: '0s' })).toEqual([
      expect.stringContaining('JWT_ACCESS_TTL'),
    ]);
  });

  it('refuses a bad value with a message naming the variable', () => {
    expect(problemsOf({ JWT_ACCESS_TTL: 'soon' })).toEqual([
      expect.stringContaining('JWT_ACCESS_TTL'),
    ]);
    expect(problemsOf({ PORT: '70000' })).toEqual([expect.stringContaining('PORT')]);
    expect(problemsOf({ PENDING_ACCOUNT_TTL: 'a week' })).toEqual([
      expect.stringContaining('PENDING_ACCOUNT_TTL'),
    ]);
    expect(problemsOf({ RATE_LIMIT_AUTH: '20 per minute' })).toEqual([
      expect.stringContaining('RATE_LIMIT_AUTH'),
    ]);
    expect(problemsOf({ LOGIN_EMAIL_OTP: 'maybe' })).toEqual([
      expect.stringContaining('LOGIN_EMAIL_OTP'),
    ]);
    expect(problemsOf({ ASSET_STORAGE: 's3' })).toEqual([expect.stringContaining('ASSET_STORAGE')]);
    expect(problemsOf({ MONGO_URI: 'http://db' })).toEqual([expect.stringContaining('MONGO_URI')]);
  });

  it('holds ADMIN_PASSWORD to the password rules, naming it and never echoing it', () => {
    const admin = (password: string, extra: Record<string, string> = {}) =>
      problemsOf({ ADMIN_EMAIL: 'root@example.com', ADMIN_PASSWORD: password, ...extra });
    expect(admin('admin')).toEqual(['ADMIN_PASSWORD must be at least 12 characters long']);
    expect(admin('password1234')).toEqual(['ADMIN_PASSWORD is too common; choose another']);
    expect(admin('twelve chars', { PASSWORD_MIN_LENGTH: '16' })).toEqual([
      'ADMIN_PASSWORD must be at least 16 characters long',
    ]);
    expect(admin('a long admin passphrase')).toEqual([]);
  });

  it('lists every problem at once', () => {
    expect(problemsOf({ PORT: 'x', BCRYPT_COST: '99', OTP_TTL: '5 minutes' })).toHaveLength(3);
  });

  it('reads the per-query deadline, 5 s by default', () => {
    expect(parseEnv({}).database.operationTimeoutMs).toBe(5_000);
    expect(parseEnv({ MONGO_OPERATION_TIMEOUT: '30s' }).database.operationTimeoutMs).toBe(30_000);
    expect(problemsOf({ MONGO_OPERATION_TIMEOUT: 'soon' })).toEqual([
      expect.stringContaining('MONGO_OPERATION_TIMEOUT'),
    ]);
  });

  it('requires MONGO_URI, PASSWORD_PEPPER and TOTP_ENCRYPTION_KEY in production, naming them', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).toEqual([
      expect.stringContaining('MONGO_URI'),
      expect.stringContaining('PASSWORD_PEPPER'),
      expect.stringMatching(/^TOTP_ENCRYPTION_KEY is required in production/),
    ]);
    expect(problemsOf(PRODUCTION)).toEqual([]);
  });

  it('refuses a public default PASSWORD_PEPPER in production only', () => {
    for (const pepper of ['user-management-default-pepper', 'change-me-to-a-long-random-value']) {
      expect(problemsOf({ ...PRODUCTION, PASSWORD_PEPPER: pepper })).toEqual([
        expect.stringMatching(/^PASSWORD_PEPPER must not be a public default/),
      ]);
    }
    expect(problemsOf({ PASSWORD_PEPPER: 'user-management-default-pepper' })).toEqual([]);
    expect(parseEnv({}).password.pepper).toBe('user-management-default-pepper');
  });

  it('no longer needs JWT_ACCESS_SECRET: still set (any value), it only raises the warning at start', () => {
    expect(parseEnv(PRODUCTION).signingKeys.legacySecretSet).toBe(false);
    const legacy = parseEnv({ ...PRODUCTION, JWT_ACCESS_SECRET: 'short' });
    expect(legacy.signingKeys.legacySecretSet).toBe(true);
  });

  it('reads the key rotation settings, and a pinned P-256 key from JWT_SIGNING_KEY (newlines as \\n too)', () => {
    expect(parseEnv({}).signingKeys).toMatchObject({
      rotationMs: 90 * 86_400_000,
      publishAheadMs: 86_400_000,
      pinned: undefined,
    });
    expect(problemsOf({ JWT_KEY_PUBLISH_AHEAD: '1m' })).toEqual([
      expect.stringContaining('JWT_KEY_PUBLISH_AHEAD'),
    ]);
    expect(problemsOf({ JWT_KEY_ROTATION: '1h', JWT_KEY_PUBLISH_AHEAD: '2h' })).toEqual([
      expect.stringContaining('JWT_KEY_PUBLISH_AHEAD'),
    ]);
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    const pinned = parseEnv({ JWT_SIGNING_KEY: pem.replace(/\n/g, '\\n') }).signingKeys.pinned;
    expect(pinned?.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  it('refuses a JWT_SIGNING_KEY that is not an EC P-256 private key, saying why for Ed25519', () => {
    const ed = generateKeyPairSync('ed25519')
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    expect(problemsOf({ JWT_SIGNING_KEY: ed })).toEqual([
      expect.stringMatching(/^JWT_SIGNING_KEY must be an EC P-256 key: Ed25519 .*jsonwebtoken/),
    ]);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    for (const bad of [p384, 'not a key'])
      expect(problemsOf({ JWT_SIGNING_KEY: bad })).toEqual([
        expect.stringMatching(/^JWT_SIGNING_KEY must be an EC P-256 private key in PEM/),
      ]);
  });

  it('needs CLOUDINARY_URL when assets go to Cloudinary', () => {
    expect(problemsOf({ ASSET_STORAGE: 'cloudinary' })).toEqual([
      expect.stringContaining('CLOUDINARY_URL'),
    ]);
    expect(
      problemsOf({ ASSET_STORAGE: 'cloudinary', CLOUDINARY_URL: 'cloudinary://k:s@demo' }),
    ).toEqual([]);
  });

  it('reads TOTP_ENCRYPTION_KEY as 32 bytes in base64 or hex, with a public development default refused in production', () => {
    const key = Buffer.alloc(32, 9);
    expect(parseEnv({ TOTP_ENCRYPTION_KEY: key.toString('base64') }).totp.encryptionKey).toEqual(
      key,
    );
    expect(parseEnv({ TOTP_ENCRYPTION_KEY: key.toString('base64url') }).totp.encryptionKey).toEqual(
      key,
    );
    expect(parseEnv({ TOTP_ENCRYPTION_KEY: key.toString('hex') }).totp.encryptionKey).toEqual(key);
    expect(parseEnv({}).totp).toEqual({
      encryptionKey: Buffer.from(DEV_TOTP_ENCRYPTION_KEY, 'base64'),
      issuer: 'User management',
    });
    for (const bad of ['short', Buffer.alloc(31).toString('base64'), 'g'.repeat(64)]) {
      expect(problemsOf({ TOTP_ENCRYPTION_KEY: bad })).toEqual([
        expect.stringMatching(/^TOTP_ENCRYPTION_KEY must be 32 bytes/),
      ]);
    }
    expect(problemsOf({ ...PRODUCTION, TOTP_ENCRYPTION_KEY: DEV_TOTP_ENCRYPTION_KEY })).toEqual([
      expect.stringMatching(/^TOTP_ENCRYPTION_KEY must not be the public development key/),
    ]);
    expect(parseEnv({ TOTP_ISSUER: 'Acme' }).totp.issuer).toBe('Acme');
  });

  it('keeps local assets under an absolute ASSET_DIR and checks CLOUDINARY_URL whenever it is set', () => {
    expect(parseEnv({}).assets.dir).toBe(resolve('.data/assets'));
    expect(parseEnv({ ASSET_DIR: '/srv/files' }).assets.dir).toBe('/srv/files');
    expect(problemsOf({ CLOUDINARY_URL: 'cloudinary://key-only@demo' })).toEqual([
      expect.stringContaining('CLOUDINARY_URL must look like'),
    ]);
    expect(
      parseEnv({ ASSET_STORAGE: 'cloudinary', CLOUDINARY_URL: 'cloudinary://k:s@demo' }).assets,
    ).toMatchObject({ storage: 'cloudinary', cloudinary: { cloudName: 'demo', apiKey: 'k' } });
  });

  describe('sign-in providers', () => {
    const allow = { OAUTH_REDIRECT_ALLOWLIST: 'https://app.example.com/done' };

    it('configures none by default, and Google, Facebook and generic providers from their groups', () => {
      expect(parseEnv({}).oauth).toEqual({
        publicUrl: 'http://localhost:3000',
        redirectAllowlist: [],
        providers: [],
      });
      const env = parseEnv({
        ...allow,
        PUBLIC_URL: 'https://api.example.com/',
        OAUTH_GOOGLE_CLIENT_ID: 'g',
        OAUTH_GOOGLE_CLIENT_SECRET: 'gs',
        OAUTH_FACEBOOK_CLIENT_ID: 'f',
        OAUTH_FACEBOOK_CLIENT_SECRET: 'fs',
        OAUTH_OIDC_MY_CORP_ISSUER: 'https://sso.example.com/realms/main',
        OAUTH_OIDC_MY_CORP_CLIENT_ID: 'k',
        OAUTH_OIDC_MY_CORP_CLIENT_SECRET: 'ks',
      }).oauth;
      expect(env.publicUrl).toBe('https://api.example.com');
      expect(env.providers).toEqual([
        {
          name: 'google',
          kind: 'oidc',
          issuer: 'https://accounts.google.com',
          clientId: 'g',
          clientSecret: 'gs',
        },
        {
          name: 'facebook',
          kind: 'facebook',
          dialogUrl: 'https://www.facebook.com/v21.0/dialog/oauth',
          graphUrl: 'https://graph.facebook.com/v21.0',
          clientId: 'f',
          clientSecret: 'fs',
        },
        {
          name: 'my-corp',
          kind: 'oidc',
          issuer: 'https://sso.example.com/realms/main',
          clientId: 'k',
          clientSecret: 'ks',
        },
      ]);
    });

    it('names every bad provider variable', () => {
      const problems = problemsOf({
        OAUTH_GOOGLE_CLIENT_ID: 'g',
        OAUTH_FACEBOOK_CLIENT_ID: 'f',
        OAUTH_FACEBOOK_CLIENT_SECRET: 'fs',
        OAUTH_FACEBOOK_GRAPH_URL: 'http://graph.example.com',
        OAUTH_OIDC_CORP_CLIENT_ID: 'k',
        OAUTH_OIDC_CORP_CLIENT_SECRET: 'ks',
        OAUTH_OIDC_GOOGLE_ISSUER: 'https://x.example.com',
        OAUTH_REDIRECT_ALLOWLIST: 'javascript:alert(1),https://app.example.com/#x',
      });
      expect(problems).toEqual(
        expect.arrayContaining([
          'OAUTH_GOOGLE_CLIENT_ID and OAUTH_GOOGLE_CLIENT_SECRET must be set together',
          expect.stringMatching(/^OAUTH_FACEBOOK_GRAPH_URL must be an https:\/\/ URL/),
          'OAUTH_OIDC_CORP_ISSUER is required with OAUTH_OIDC_CORP_CLIENT_ID',
          expect.stringMatching(/^OAUTH_OIDC_GOOGLE_\*: the provider name/),
          expect.stringMatching(
            /^OAUTH_REDIRECT_ALLOWLIST entries must be absolute URLs .*javascript/,
          ),
          expect.stringMatching(/^OAUTH_REDIRECT_ALLOWLIST entries must be absolute URLs .*#x/),
        ]),
      );
    });

    it('needs an allowlist with a provider, and PUBLIC_URL in production; http only on loopback outside production', () => {
      const google = { OAUTH_GOOGLE_CLIENT_ID: 'g', OAUTH_GOOGLE_CLIENT_SECRET: 'gs' };
      expect(problemsOf(google)).toEqual([
        'OAUTH_REDIRECT_ALLOWLIST is required when a sign-in provider is configured',
      ]);
      expect(problemsOf({ ...PRODUCTION, ...google, ...allow })).toEqual([
        'PUBLIC_URL is required in production with a sign-in provider',
      ]);
      const loopback = { ...google, ...allow, OAUTH_GOOGLE_ISSUER: 'http://127.0.0.1:4000' };
      expect(parseEnv(loopback).oauth.providers[0]).toMatchObject({
        issuer: 'http://127.0.0.1:4000',
      });
      expect(
        problemsOf({ ...PRODUCTION, ...loopback, PUBLIC_URL: 'https://api.example.com' }),
      ).toEqual([expect.stringMatching(/^OAUTH_GOOGLE_ISSUER must be an https:\/\/ URL/)]);
    });
  });
});
