import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { JwksController } from './jwks.controller';
import { SigningKey, SigningKeySchema } from './signing-key.schema';
import { SigningKeyStore } from './signing-key.store';
import { SigningKeys } from './signing-keys.service';

/**
 * The keys that sign access and mfa tokens: stored encrypted in MongoDB and shared by every
 * instance, published at /.well-known/jwks.json. Other features use `SigningKeys` (sign with `signer()`, verify with
 * `verifierFor()`), nothing else.
 */
@Module({
  imports: [MongooseModule.forFeature([{ name: SigningKey.name, schema: SigningKeySchema }])],
  controllers: [JwksController],
  providers: [SigningKeyStore, SigningKeys],
  exports: [SigningKeys],
})
export class SigningKeysModule {}
