import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyLegacyHash, verifyLegacyHash } from './legacy-hashes';

/** Made by passlib, argon2-cffi, bcrypt, firebase-scrypt and hashlib: see make_fixtures.py there. */
const FIXTURES = join(__dirname, '..', '..', 'test', 'fixtures', 'legacy-hashes');
const lines = readFileSync(join(FIXTURES, 'users.ndjson'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as { email: string; passwordHash: string });
const passwords = JSON.parse(readFileSync(join(FIXTURES, 'passwords.json'), 'utf8')) as Record<
  string,
  string
>;

describe('legacy hashes', () => {
  it.each(lines.map((l) => [l.email, l.passwordHash]))(
    '%s: the right password matches, another does not',
    async (email, hash) => {
      const classified = classifyLegacyHash(hash);
      expect(classified).toHaveProperty('kind');
      const kind = (classified as { kind: string }).kind;
      await expect(verifyLegacyHash(kind, hash, passwords[email])).resolves.toBe(true);
      await expect(verifyLegacyHash(kind, hash, `${passwords[email]}x`)).resolves.toBe(false);
    },
  );

  it.each([
    ['plain text', 'hunter2'],
    ['bcrypt with a cost too high', `$2b$31$${'a'.repeat(53)}`],
    ['scrypt asking for 8 GiB', `$scrypt$ln=24,r=32,p=1$c2FsdHNhbHQ$${'A'.repeat(43)}`],
    ['pbkdf2 with a billion iterations', `pbkdf2_sha256$1000000000$salt$${'A'.repeat(44)}`],
    ['an unknown scheme', '$md5$abc$def'],
    ['argon2 with 64 GiB', '$argon2id$v=19$m=67108864,t=1,p=1$c2FsdA$aGFzaA'],
  ])('refuses %s', (_name, hash) => {
    expect(classifyLegacyHash(hash)).toHaveProperty('error');
  });
});
