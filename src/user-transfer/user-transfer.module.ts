import { Module } from '@nestjs/common';
import { InvitationsModule } from '../invitations/invitations.module';
import { RbacModule } from '../rbac/rbac.module';
import { UsersModule } from '../users/users.module';
import { UserImport } from './user-import.service';

/** Moving users in (import with their old password hashes) and out (export). */
@Module({
  imports: [UsersModule, RbacModule, InvitationsModule],
  providers: [UserImport],
  exports: [UserImport],
})
export class UserTransferModule {}
