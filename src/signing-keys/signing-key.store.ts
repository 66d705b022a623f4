import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { createPrivateKey } from 'node:crypto';
import { AtRestCipher } from '../common/crypto/at-rest-cipher';
import { isDuplicateKeyError } from '../common/errors/mongo-errors';
import { signingKeysConfig, SigningKeysConfig } from '../config/configuration';
import { generateKeyPair, keyPairOf, privatePem, SIGNING_ALGORITHM } from './key-material';
import { LoadedKey } from './key-set';
import { SigningKey } from './signing-key.schema';

/** The additional data a key's ciphertext is bound to: it decrypts only as that key. */
const context = (kid: string) => `signing-key:${kid}`;

/**
 * The signing keys in MongoDB, shared by every instance: the public half in clear (it is
 * published anyway), the private half encrypted with TOTP_ENCRYPTION_KEY. Keys are only ever
 * added (with a fresh sequence number) or removed, never changed.
 */
@Injectable()
export class SigningKeyStore {
  private readonly cipher: AtRestCipher;

  constructor(
    @InjectModel(SigningKey.name) private readonly model: Model<SigningKey>,
    @Inject(signingKeysConfig.KEY) config: SigningKeysConfig,
  ) {
    this.cipher = new AtRestCipher(config.encryptionKey, 'signing key');
  }

  /**
   * Every key, oldest first. Keys already parsed (`known`, by kid) are reused, so a periodic
   * reload decrypts and parses only the keys it has not seen.
   */
  async load(known: ReadonlyMap<string, LoadedKey> = new Map()): Promise<LoadedKey[]> {
    const docs = await this.model.find().select('+privateKey').sort({ _id: 1 }).lean();
    return docs.map((doc) => {
      const dates = { seq: doc._id, createdAt: doc.createdAt, activatesAt: doc.activatesAt };
      const seen = known.get(doc.kid);
      if (seen) return { ...seen, ...dates };
      let pem: string;
      try {
        pem = this.cipher.decrypt(doc.privateKey, context(doc.kid));
      } catch {
        throw new Error(
          `signing key ${doc.kid} does not decrypt with TOTP_ENCRYPTION_KEY: was the key changed?`,
        );
      }
      const pair = keyPairOf(createPrivateKey(pem));
      if (pair.kid !== doc.kid) throw new Error(`signing key ${doc.kid} does not match its kid`);
      return { ...pair, ...dates };
    });
  }

  /**
   * Adds a fresh key as number `seq`, signing from `activatesAt`. False when that number is
   * already taken: another instance (or the job, or an operator) added it first.
   */
  async add(seq: number, activatesAt: Date, now: Date): Promise<string | null> {
    const pair = generateKeyPair();
    try {
      await this.model.create({
        _id: seq,
        kid: pair.kid,
        alg: SIGNING_ALGORITHM,
        publicJwk: pair.publicJwk,
        privateKey: this.cipher.encrypt(privatePem(pair.privateKey), context(pair.kid)),
        createdAt: now,
        activatesAt,
      });
      return pair.kid;
    } catch (error) {
      if (isDuplicateKeyError(error)) return null;
      throw error;
    }
  }

  async remove(seqs: number[]): Promise<number> {
    if (seqs.length === 0) return 0;
    const { deletedCount } = await this.model.deleteMany({ _id: { $in: seqs } });
    return deletedCount;
  }
}
