import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { UsersModule } from '../../users/users.module';
import { PasskeyCredentialsModule } from '../passkeys/passkey-credentials.module';
import { SignInModule } from '../sign-in/sign-in.module';
import { AdminIdentitiesController } from './admin-identities.controller';
import { IdentitiesController } from './identities.controller';
import { IdentitiesModule } from './identities.module';
import { OAuthAccounts } from './oauth-accounts.service';
import { OAuthCode, OAuthCodeSchema, OAuthFlow, OAuthFlowSchema } from './oauth-flow.schema';
import { OAuthFlows } from './oauth-flows.service';
import { OAuthController } from './oauth.controller';
import { OAuthService } from './oauth.service';
import { ProviderRegistry } from './providers/provider-registry';
import { PurgeOAuthFlowsJob } from './purge-oauth-flows.job';

/** Sign-in and linking with OAuth / OpenID Connect providers. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: OAuthFlow.name, schema: OAuthFlowSchema },
      { name: OAuthCode.name, schema: OAuthCodeSchema },
    ]),
    IdentitiesModule,
    PasskeyCredentialsModule,
    SignInModule,
    UsersModule,
  ],
  controllers: [OAuthController, IdentitiesController, AdminIdentitiesController],
  providers: [ProviderRegistry, OAuthFlows, OAuthAccounts, OAuthService, PurgeOAuthFlowsJob],
  // The flows, for the auth listener that forgets a deleted user's unfinished ones.
  exports: [OAuthFlows],
})
export class OAuthModule {}
