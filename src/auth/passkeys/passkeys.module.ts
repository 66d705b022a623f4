import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { UsersModule } from '../../users/users.module';
import { LockoutModule } from '../lockout/lockout.module';
import { SignInModule } from '../sign-in/sign-in.module';
import { TokensModule } from '../tokens/tokens.module';
import { PasskeyAuthController } from './passkey-auth.controller';
import { PasskeyChallenges } from './passkey-challenges.service';
import { PasskeySignIn } from './passkey-sign-in.service';
import { Passkey, PasskeyChallenge, PasskeyChallengeSchema, PasskeySchema } from './passkey.schema';
import { PasskeysController } from './passkeys.controller';
import { PasskeysService } from './passkeys.service';
import { PurgePasskeyChallengesJob } from './purge-passkey-challenges.job';
import { WebAuthn } from './webauthn';

/** WebAuthn passkeys: registration and management by their owner, and username-less sign-in. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Passkey.name, schema: PasskeySchema },
      { name: PasskeyChallenge.name, schema: PasskeyChallengeSchema },
    ]),
    UsersModule,
    LockoutModule,
    SignInModule,
    TokensModule,
  ],
  controllers: [PasskeysController, PasskeyAuthController],
  providers: [
    WebAuthn,
    PasskeyChallenges,
    PasskeysService,
    PasskeySignIn,
    PurgePasskeyChallengesJob,
  ],
  // For the auth listener (a deleted user's passkeys and challenges go with them).
  exports: [PasskeysService, PasskeyChallenges],
})
export class PasskeysModule {}
