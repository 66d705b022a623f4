import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { SigningKey, SigningKeySchema } from './signing-key.schema';
import { SigningKeyStore } from './signing-key.store';
import { SigningKeys } from './signing-keys.service';

/**
 * The keys that sign access and mfa tokens: stored encrypted in MongoDB and shared by every
 * instance. Other features use `SigningKeys` (sign with `signer()`, verify with
 * `verifierFor()`), nothing else.
 */
@Module({
  imports: [MongooseModule.forFeature([{ name: SigningKey.name, schema: SigningKeySchema }])],
  providers: [SigningKeyStore, SigningKeys],
  exports: [SigningKeys],
})
export class SigningKeysModule {}
