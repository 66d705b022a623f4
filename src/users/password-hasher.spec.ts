import { PasswordHasher } from './password-hasher';

const hasher = (bcryptCost = 4, pepper = 'pepper') =>
  new PasswordHasher({ minLength: 12, bcryptCost, pepper });

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
});
