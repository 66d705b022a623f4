import { Module } from '@nestjs/common';
import { AssetsModule } from '../assets/assets.module';
import { AuditModule } from '../audit/audit.module';
import { InvitationsModule } from '../invitations/invitations.module';
import { RbacModule } from '../rbac/rbac.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { MyDataController } from './my-data.controller';
import { MyDataExport } from './my-data-export.service';
import { UserImport } from './user-import.service';

/** Moving users in (import with their old password hashes) and out (export, own data). */
@Module({
  imports: [UsersModule, RbacModule, InvitationsModule, SessionsModule, AssetsModule, AuditModule],
  controllers: [MyDataController],
  providers: [UserImport, MyDataExport],
  exports: [UserImport],
})
export class UserTransferModule {}
