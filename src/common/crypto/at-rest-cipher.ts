import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The format of a stored secret; a new key or algorithm gets a new version. */
const VERSION = 'v1';

/**
 * AES-256-GCM for secrets at rest (TOTP secrets, signing keys): a fresh 96-bit IV per
 * encryption, the 128-bit tag checked on decryption. What the secret belongs to (a user's id, a
 * key's id) is bound in as additional data, so a ciphertext copied onto another record does not
 * decrypt; the contexts of different features never coincide, so they can share one key.
 * Stored as `v1.<iv>.<tag>.<ciphertext>`.
 */
export class AtRestCipher {
  constructor(
    private readonly key: Buffer,
    /** What is stored, for the error on a text in no known format. */
    private readonly what: string,
  ) {}

  encrypt(plain: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), data]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** Throws when the text was not made by `encrypt` under this key for this context. */
  decrypt(stored: string, context: string): string {
    const [version, iv, tag, data] = stored.split('.');
    if (version !== VERSION || !iv || !tag || data === undefined)
      throw new Error(`not a stored ${this.what}`);
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(data, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }
}
