import * as argon2 from 'argon2';
import * as bcrypt from 'bcrypt';
import { createCipheriv, pbkdf2, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

/**
 * Password hashes made by other systems, accepted by the import and checked at the user's next
 * sign-in in their own format (the raw password, no pepper), after which the user is re-hashed
 * with ours. Stored as `legacy-<kind>$<the hash as imported>`. Each format is parsed strictly,
 * with bounded costs, so that a hostile import cannot make a sign-in hash for minutes:
 *
 * - bcrypt: `$2a$`, `$2b$`, `$2y$` (cost 4–17);
 * - argon2: `$argon2id$` and `$argon2i$` in the PHC form (`v=19$m=…,t=…,p=…$salt$hash`; m ≤ 1 GiB);
 * - scrypt: `$scrypt$ln=…,r=…,p=…$salt$hash` (passlib's form; salt and hash base64);
 * - Firebase's scrypt: `$firebase-scrypt$rounds=…,memcost=…,signer=…,separator=…$salt$hash`,
 *   with the project's signer key and salt separator, all base64, as Firebase exports them;
 * - PBKDF2: Django's `pbkdf2_sha256$iterations$salt$hash` (and `pbkdf2_sha1`), and the generic
 *   `$pbkdf2-sha256$[i=]iterations$salt$hash` (`sha1`, `sha256`, `sha512`; `$pbkdf2$` is sha1),
 *   salt and hash base64 (standard, URL-safe or passlib's `.` alphabet, padding optional).
 */
export const LEGACY_KINDS = [
  'bcrypt',
  'argon2',
  'scrypt',
  'firebase-scrypt',
  'django-pbkdf2',
  'pbkdf2',
] as const;
export type LegacyKind = (typeof LEGACY_KINDS)[number];
export const LEGACY_PREFIX = 'legacy-';

const pbkdf2Async = promisify(pbkdf2);
const scryptAsync = promisify(scrypt) as (
  password: Buffer,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

const MAX_PBKDF2_ITERATIONS = 5_000_000;
const MAX_SCRYPT_BYTES = 1 << 30;
const B64 = '[A-Za-z0-9+/._-]+={0,2}';

const BCRYPT = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/;
const ARGON2 =
  /^\$argon2(?:id|i)\$(?:v=(?:16|19)\$)?m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;
const SCRYPT = new RegExp(`^\\$scrypt\\$ln=(\\d+),r=(\\d+),p=(\\d+)\\$(${B64})\\$(${B64})$`);
const FIREBASE = new RegExp(`^\\$firebase-scrypt\\$([^$]+)\\$(${B64})\\$(${B64})$`);
const DJANGO = /^pbkdf2_(sha256|sha1)\$(\d+)\$([^$]+)\$([A-Za-z0-9+/]+={0,2})$/;
const PBKDF2 = new RegExp(
  `^\\$pbkdf2(?:-(sha1|sha256|sha512))?\\$(?:i=)?(\\d+)(?:,l=\\d+)?\\$(${B64})\\$(${B64})$`,
);

/** Base64 in any of the usual alphabets (standard, URL-safe, passlib's `.`), padding optional. */
function b64(text: string): Buffer {
  return Buffer.from(text.replace(/\./g, '+').replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

const within = (value: number, min: number, max: number) =>
  Number.isSafeInteger(value) && value >= min && value <= max;

/** The kind of a foreign hash, or a reason it is refused. */
export function classifyLegacyHash(hash: string): { kind: LegacyKind } | { error: string } {
  let m: RegExpExecArray | null;
  if ((m = BCRYPT.exec(hash)))
    return within(+m[1], 4, 17) ? { kind: 'bcrypt' } : { error: 'bcrypt cost out of range' };
  if ((m = ARGON2.exec(hash)))
    return within(+m[1], 8, 1_048_576) && within(+m[2], 1, 20) && within(+m[3], 1, 16)
      ? { kind: 'argon2' }
      : { error: 'argon2 parameters out of range' };
  if (SCRYPT.test(hash)) return scryptParams(hash) ? { kind: 'scrypt' } : bad('scrypt');
  if (FIREBASE.test(hash))
    return firebaseParams(hash) ? { kind: 'firebase-scrypt' } : bad('firebase-scrypt');
  if ((m = DJANGO.exec(hash)))
    return within(+m[2], 1, MAX_PBKDF2_ITERATIONS) && b64(m[4]).length >= 16
      ? { kind: 'django-pbkdf2' }
      : bad('pbkdf2');
  if (PBKDF2.test(hash)) return pbkdf2Params(hash) ? { kind: 'pbkdf2' } : bad('pbkdf2');
  return { error: 'passwordHash is not in a supported format' };
}

const bad = (kind: string) => ({ error: `${kind} parameters out of range` });

/** True when `password` matches the foreign hash of `kind` (false for anything malformed). */
export async function verifyLegacyHash(
  kind: string,
  hash: string,
  password: string,
): Promise<boolean> {
  const input = Buffer.from(password, 'utf8');
  switch (kind) {
    case 'bcrypt':
      // `$2y$` (PHP) and `$2a$` are the same algorithm as `$2b$` for every password the policy accepts.
      return bcrypt.compare(password, hash.replace(/^\$2[ay]\$/, '$2b$'));
    case 'argon2':
      return argon2.verify(hash, password).catch(() => false);
    case 'scrypt': {
      const p = scryptParams(hash);
      if (!p) return false;
      const key = await scryptAsync(input, p.salt, p.expected.length, p.options);
      return same(key, p.expected);
    }
    case 'firebase-scrypt': {
      const p = firebaseParams(hash);
      if (!p) return false;
      const salt = Buffer.concat([p.salt, p.separator]);
      const key = await scryptAsync(input, salt, 32, p.options);
      const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
      return same(Buffer.concat([cipher.update(p.signer), cipher.final()]), p.expected);
    }
    case 'django-pbkdf2': {
      const m = DJANGO.exec(hash);
      if (!m) return false;
      const expected = b64(m[4]);
      const digest = m[1];
      const key = await pbkdf2Async(input, m[3], +m[2], expected.length, digest);
      return same(key, expected);
    }
    case 'pbkdf2': {
      const p = pbkdf2Params(hash);
      if (!p) return false;
      const key = await pbkdf2Async(input, p.salt, p.iterations, p.expected.length, p.digest);
      return same(key, p.expected);
    }
    default:
      return false;
  }
}

function same(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function scryptOptions(N: number, r: number, p: number) {
  const bytes = 128 * N * r * p;
  if (!within(r, 1, 32) || !within(p, 1, 16) || bytes > MAX_SCRYPT_BYTES) return undefined;
  return { N, r, p, maxmem: 128 * N * r + 1024 * r * p + (32 << 20) };
}

function scryptParams(hash: string) {
  const m = SCRYPT.exec(hash);
  if (!m || !within(+m[1], 1, 24)) return undefined;
  const options = scryptOptions(2 ** +m[1], +m[2], +m[3]);
  const expected = b64(m[5]);
  if (!options || expected.length < 16 || expected.length > 128) return undefined;
  return { options, salt: b64(m[4]), expected };
}

function firebaseParams(hash: string) {
  const m = FIREBASE.exec(hash);
  if (!m) return undefined;
  const params = new Map(
    m[1].split(',').map((pair) => {
      const at = pair.indexOf('=');
      return [pair.slice(0, at), pair.slice(at + 1)] as const;
    }),
  );
  const rounds = Number(params.get('rounds'));
  const memcost = Number(params.get('memcost'));
  const signer = params.get('signer');
  const separator = params.get('separator');
  if (!signer || separator === undefined || !within(memcost, 1, 24)) return undefined;
  const options = scryptOptions(2 ** memcost, rounds, 1);
  const expected = b64(m[3]);
  if (!options || expected.length === 0) return undefined;
  return { options, salt: b64(m[2]), separator: b64(separator), signer: b64(signer), expected };
}

function pbkdf2Params(hash: string) {
  const m = PBKDF2.exec(hash);
  if (!m || !within(+m[2], 1, MAX_PBKDF2_ITERATIONS)) return undefined;
  const expected = b64(m[4]);
  if (expected.length < 16 || expected.length > 128) return undefined;
  return { digest: m[1] ?? 'sha1', iterations: +m[2], salt: b64(m[3]), expected };
}
