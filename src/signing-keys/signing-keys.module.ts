import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AdminSigningKeysController } from './admin-signing-keys.controller';
import { JwksController } from './jwks.controller';
import { RotateSigningKeysJob } from './rotate-signing-keys.job';
import { SigningKey, SigningKeySchema } from './signing-key.schema';
import { SigningKeyRotation } from './signing-key-rotation.service';
import { SigningKeyStore } from './signing-key.store';
import { SigningKeys } from './signing-keys.service';

/**
 * The keys that sign access and mfa tokens: stored encrypted in MongoDB and shared by every
 * instance, published at /.well-known/jwks.json, rotated by a job or an operator. Other
 * features use `SigningKeys` (sign with `signer()`, verify with `verifierFor()`), nothing else.
 */
@Module({
  imports: [MongooseModule.forFeature([{ name: SigningKey.name, schema: SigningKeySchema }])],
  controllers: [JwksController, AdminSigningKeysController],
  providers: [SigningKeyStore, SigningKeys, SigningKeyRotation, RotateSigningKeysJob],
  exports: [SigningKeys],
})
export class SigningKeysModule {}
