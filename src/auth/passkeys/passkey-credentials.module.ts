import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { PasskeyAssertions } from './passkey-assertions.service';
import { PasskeyChallenges } from './passkey-challenges.service';
import { Passkey, PasskeyChallenge, PasskeyChallengeSchema, PasskeySchema } from './passkey.schema';
import { PasskeyStep } from './passkey.step';
import { PurgePasskeyChallengesJob } from './purge-passkey-challenges.job';
import { WebAuthn } from './webauthn';

/**
 * The passkeys' storage and ceremonies, and the passkey second step: what the second-step
 * registry needs, without the flows that end in a session (PasskeysModule), which need it.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Passkey.name, schema: PasskeySchema },
      { name: PasskeyChallenge.name, schema: PasskeyChallengeSchema },
    ]),
  ],
  providers: [
    WebAuthn,
    PasskeyChallenges,
    PasskeyAssertions,
    PasskeyStep,
    PurgePasskeyChallengesJob,
  ],
  exports: [MongooseModule, WebAuthn, PasskeyChallenges, PasskeyAssertions, PasskeyStep],
})
export class PasskeyCredentialsModule {}
