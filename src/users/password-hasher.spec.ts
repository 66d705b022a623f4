import { PasswordHasher } from './password-hasher';

const hasher = (bcryptCost = 4, pepper = 'pepper', hash: 'bcrypt' | 'argon2id' = 'bcrypt') =>
  new PasswordHasher({
    minLength: 12,
    hash,
    bcryptCost,
    argon2MemoryKib: 1024,
    argon2TimeCost: 1,
    pepper,
  });
const argon = (pepper = 'pepper') => hasher(4, pepper, 'argon2id');

describe(PasswordHasher.name, () => {
  it('accepts the right password and refuses a wrong one', async () => {
    const h = hasher();
    const stored = await h.hash('correct horse battery staple');
    expect(stored.startsWith('hs256-bcrypt$$2b$04$')).toBe(true);
    expect((await h.verify('correct horse battery staple', stored)).ok).toBe(true);
    expect((await h.verify('correct horse battery stapl', stored)).ok).toBe(false);
  });

  it('tells apart passwords that differ only after byte 72', async () => {
    const h = hasher();
    const prefix = 'a'.repeat(80);
    const stored = await h.hash(`${prefix}1`);
    expect((await h.verify(`${prefix}2`, stored)).ok).toBe(false);
    // Multi-byte: 30 emoji are 120 bytes, far past bcrypt's 72.
    const emoji = '\u{1F600}'.repeat(30);
    const storedEmoji = await h.hash(`${emoji}x`);
    expect((await h.verify(`${emoji}y`, storedEmoji)).ok).toBe(false);
  });

  it('compares passwords after NFKC normalisation', async () => {
    const h = hasher();
    const stored = await h.hash('caf\u00e9 au lait, please');
    expect((await h.verify('cafe\u0301 au lait, please', stored)).ok).toBe(true);
  });

  it('asks for a re-hash when the cost changed, and only on success', async () => {
    const stored = await hasher(4).hash('correct horse battery staple');
    expect(await hasher(5).verify('correct horse battery staple', stored)).toEqual({
      ok: true,
      needsRehash: true,
    });
    expect(await hasher(5).verify('wrong password entirely', stored)).toEqual({
      ok: false,
      needsRehash: false,
    });
    expect(await hasher(4).verify('correct horse battery staple', stored)).toEqual({
      ok: true,
      needsRehash: false,
    });
  });

  it('depends on the pepper', async () => {
    const stored = await hasher(4, 'one').hash('correct horse battery staple');
    expect((await hasher(4, 'two').verify('correct horse battery staple', stored)).ok).toBe(false);
  });

  it('refuses hashes of an unknown scheme', async () => {
    expect((await hasher().verify('x', 'md5$abc')).ok).toBe(false);
  });

  it('never matches a password with a lone surrogate (it would collide with U+FFFD)', async () => {
    const h = hasher();
    const stored = await h.hash('correct horse \ufffd battery');
    expect((await h.verify('correct horse \ufffd battery', stored)).ok).toBe(true);
    expect((await h.verify('correct horse \ud800 battery', stored)).ok).toBe(false);
  });

  describe('argon2id (PASSWORD_HASH=argon2id)', () => {
    it('hashes with argon2id under its scheme and verifies', async () => {
      const stored = await argon().hash('correct horse battery staple');
      expect(stored).toMatch(/^hs256-argon2id\$\$argon2id\$v=19\$m=1024,p=1,t=1\$/);
      expect(await argon().verify('correct horse battery staple', stored)).toEqual({
        ok: true,
        needsRehash: false,
      });
      expect((await argon().verify('correct horse battery stapl', stored)).ok).toBe(false);
      expect((await argon('other pepper').verify('correct horse battery staple', stored)).ok).toBe(
        false,
      );
    });

    it('switching schemes re-hashes at the next successful login, in both directions', async () => {
      const fromBcrypt = await hasher().hash('correct horse battery staple');
      expect(await argon().verify('correct horse battery staple', fromBcrypt)).toEqual({
        ok: true,
        needsRehash: true,
      });
      const fromArgon = await argon().hash('correct horse battery staple');
      expect(await hasher().verify('correct horse battery staple', fromArgon)).toEqual({
        ok: true,
        needsRehash: true,
      });
      expect(await hasher().verify('wrong password entirely', fromArgon)).toEqual({
        ok: false,
        needsRehash: false,
      });
    });

    it('asks for a re-hash when the memory or time cost changed', async () => {
      const stored = await argon().hash('correct horse battery staple');
      const stronger = new PasswordHasher({
        minLength: 12,
        hash: 'argon2id',
        bcryptCost: 4,
        argon2MemoryKib: 2048,
        argon2TimeCost: 1,
        pepper: 'pepper',
      });
      expect((await stronger.verify('correct horse battery staple', stored)).needsRehash).toBe(
        true,
      );
    });

    it('refuses a malformed stored hash without throwing', async () => {
      expect(await argon().verify('x', 'hs256-argon2id$not-a-hash')).toEqual({
        ok: false,
        needsRehash: false,
      });
    });
  });
});
