import { Inject, Injectable } from '@nestjs/common';
import { AtRestCipher } from '../../common/crypto/at-rest-cipher';
import { totpConfig, TotpConfig } from '../../config/configuration';

/**
 * TOTP secrets at rest (see AtRestCipher), bound to their owner's id: a secret copied onto
 * another user's credential does not decrypt.
 */
@Injectable()
export class TotpCipher extends AtRestCipher {
  constructor(@Inject(totpConfig.KEY) config: TotpConfig) {
    super(config.encryptionKey, 'TOTP secret');
  }
}
