import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { LINKED_IDENTITIES } from '../../users/linked-identities';
import { IdentitiesService } from './identities.service';
import { OAuthIdentity, OAuthIdentitySchema } from './identity.schema';

/**
 * The identities collection, and the port `GET /users/me` lists them through: global, so the
 * users feature receives it without importing auth.
 */
@Global()
@Module({
  imports: [MongooseModule.forFeature([{ name: OAuthIdentity.name, schema: OAuthIdentitySchema }])],
  providers: [IdentitiesService, { provide: LINKED_IDENTITIES, useExisting: IdentitiesService }],
  exports: [IdentitiesService, LINKED_IDENTITIES],
})
export class IdentitiesModule {}
