import { TotpCipher } from './totp-cipher';

const cipherWith = (fill: number) =>
  new TotpCipher({ encryptionKey: Buffer.alloc(32, fill), issuer: 'Test' });

describe(TotpCipher.name, () => {
  const cipher = cipherWith(1);
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  const owner = '665f1c2e8b3c4a0012345678';

  it('decrypts what it encrypted, and stores neither the secret nor its encoding', () => {
    const stored = cipher.encrypt(secret, owner);
    expect(stored).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(Buffer.from(secret).toString('base64url'));
    expect(cipher.decrypt(stored, owner)).toBe(secret);
  });

  it('uses a fresh IV each time', () => {
    expect(cipher.encrypt(secret, owner)).not.toBe(cipher.encrypt(secret, owner));
  });

  it('refuses a tampered ciphertext, tag or IV', () => {
    const [version, iv, tag, data] = cipher.encrypt(secret, owner).split('.');
    const flip = (part: string) => {
      const bytes = Buffer.from(part, 'base64url');
      bytes[0] ^= 1;
      return bytes.toString('base64url');
    };
    for (const forged of [
      [version, iv, tag, flip(data)],
      [version, iv, flip(tag), data],
      [version, flip(iv), tag, data],
    ])
      expect(() => cipher.decrypt(forged.join('.'), owner)).toThrow();
  });

  it("refuses another owner's ciphertext and another key's", () => {
    const stored = cipher.encrypt(secret, owner);
    expect(() => cipher.decrypt(stored, '665f1c2e8b3c4a0012345679')).toThrow();
    expect(() => cipherWith(2).decrypt(stored, owner)).toThrow();
  });

  it('refuses text in no known format', () => {
    expect(() => cipher.decrypt(secret, owner)).toThrow('not a stored TOTP secret');
  });
});
