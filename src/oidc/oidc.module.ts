import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AuthModule } from '../auth/auth.module';
import { PasskeysModule } from '../auth/passkeys/passkeys.module';
import { RbacModule } from '../rbac/rbac.module';
import { SessionsModule } from '../sessions/sessions.module';
import { SigningKeysModule } from '../signing-keys/signing-keys.module';
import { UsersModule } from '../users/users.module';
import { AdminOidcClientsController } from './admin-oidc-clients.controller';
import { OidcAccounts } from './oidc-accounts';
import { OidcClient, OidcClientSchema } from './oidc-client.schema';
import { OidcClients } from './oidc-clients.service';
import { InteractionViews } from './interactions/interaction-views';
import { OidcInteractions } from './interactions/oidc-interactions';
import { OidcListener } from './oidc.listener';
import { OidcPages } from './oidc-pages';
import { OidcProviderHost } from './oidc-provider.host';
import { OidcRateLimit } from './oidc-rate-limit';
import { OidcRecord, OidcRecordSchema } from './oidc-record.schema';
import { OidcStore } from './oidc-store';
import { PurgeOidcRecordsJob } from './purge-oidc-records.job';

/**
 * The OpenID Connect provider other apps and services sign in through (panva's oidc-provider,
 * hosted in this server): discovery at /.well-known/openid-configuration, endpoints under /oidc,
 * tokens signed by the signing-keys module's keys, storage in MongoDB, clients managed by admins.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: OidcRecord.name, schema: OidcRecordSchema },
      { name: OidcClient.name, schema: OidcClientSchema },
    ]),
    SigningKeysModule,
    UsersModule,
    SessionsModule,
    AuthModule,
    PasskeysModule,
    RbacModule,
  ],
  controllers: [AdminOidcClientsController],
  providers: [
    OidcStore,
    OidcClients,
    OidcAccounts,
    OidcPages,
    InteractionViews,
    OidcInteractions,
    OidcListener,
    OidcProviderHost,
    OidcRateLimit,
    PurgeOidcRecordsJob,
  ],
  exports: [OidcProviderHost],
})
export class OidcModule {}
