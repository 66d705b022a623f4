import { Inject, Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { totpConfig, TotpConfig } from '../../config/configuration';

/** The format of a stored secret; a new key or algorithm gets a new version. */
const VERSION = 'v1';

/**
 * AES-256-GCM for TOTP secrets at rest: a fresh 96-bit IV per encryption, the 128-bit tag
 * checked on decryption. The owner's id is bound in as additional data, so a ciphertext copied
 * onto another user's credential does not decrypt. Stored as `v1.<iv>.<tag>.<ciphertext>`.
 */
@Injectable()
export class TotpCipher {
  constructor(@Inject(totpConfig.KEY) private readonly config: TotpConfig) {}

  encrypt(plain: string, ownerId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.config.encryptionKey, iv);
    cipher.setAAD(Buffer.from(ownerId, 'utf8'));
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), data]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** Throws when the text was not made by `encrypt` under this key for this owner. */
  decrypt(stored: string, ownerId: string): string {
    const [version, iv, tag, data] = stored.split('.');
    if (version !== VERSION || !iv || !tag || data === undefined)
      throw new Error('not a stored TOTP secret');
    const decipher = createDecipheriv(
      'aes-256-gcm',
      this.config.encryptionKey,
      Buffer.from(iv, 'base64url'),
    );
    decipher.setAAD(Buffer.from(ownerId, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(data, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }
}
