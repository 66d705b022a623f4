import { PasswordPolicy } from './password-policy';

const policy = new PasswordPolicy({
  minLength: 12,
  hash: 'bcrypt',
  bcryptCost: 4,
  argon2MemoryKib: 19_456,
  argon2TimeCost: 2,
  pepper: 'p',
});

describe(PasswordPolicy.name, () => {
  it('accepts a long passphrase with spaces and any printable character', () => {
    expect(policy.check('correct horse battery staple')).toEqual([]);
    expect(policy.check('ÄÖÜ ß € 漢字 😀 pass')).toEqual([]);
  });

  it('counts code points after NFKC, not UTF-16 units or bytes', () => {
    expect(policy.check('😀'.repeat(11))).toHaveLength(1); // 22 UTF-16 units, 11 code points
    expect(policy.check('😀'.repeat(12))).toEqual([]);
    expect(policy.check('a'.repeat(128))).toEqual([]);
    expect(policy.check('a'.repeat(129))[0].message).toMatch(/at most 128/);
  });

  it('refuses common passwords case-insensitively', () => {
    expect(policy.check('password1234')[0].message).toMatch(/too common/);
    expect(policy.check('PASSWORD1234')[0].message).toMatch(/too common/);
  });

  it('refuses control characters', () => {
    expect(policy.check('abcdefghijkl\u0000m')[0].message).toMatch(/control/);
  });

  it('refuses passwords made only of spaces or invisible characters', () => {
    expect(policy.check(' '.repeat(20))[0].message).toMatch(/only of spaces/);
    expect(policy.check('\u200b'.repeat(20))[0].message).toMatch(/only of spaces/);
    expect(policy.check('\u3000 \u200b\u202e'.repeat(5))[0].message).toMatch(/only of spaces/);
    expect(policy.check(' a'.repeat(10))).toEqual([]);
  });

  it('refuses lone surrogates, which would hash like U+FFFD', () => {
    expect(policy.check('abcdefghijkl\ud800')[0].message).toMatch(/valid Unicode/);
    expect(policy.check('abcdefghijkl\udc00x')[0].message).toMatch(/valid Unicode/);
  });
});
