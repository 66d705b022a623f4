import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { TotpCipher } from './totp-cipher';
import { TotpCredential, TotpCredentialSchema } from './totp.schema';
import { TotpService } from './totp.service';
import { TotpStep } from './totp.step';

/** Authenticator-app credentials (with their recovery codes) and the TOTP second step. */
@Module({
  imports: [
    MongooseModule.forFeature([{ name: TotpCredential.name, schema: TotpCredentialSchema }]),
  ],
  providers: [TotpService, TotpCipher, TotpStep],
  exports: [TotpService, TotpStep],
})
export class TotpModule {}
