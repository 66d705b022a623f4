import { Module } from '@nestjs/common';
import { AssetsModule } from '../assets/assets.module';
import { AuditModule } from '../audit/audit.module';
import { InvitationsModule } from '../invitations/invitations.module';
import { UserTransferModule } from '../user-transfer/user-transfer.module';
import { RbacModule } from '../rbac/rbac.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { AdminAuditController } from './admin-audit.controller';
import { AuditView } from './audit-view.service';
import { AdminSessionsService } from './admin-sessions.service';
import { AdminUserSessionsController } from './admin-user-sessions.controller';
import { AdminUserTransferController } from './admin-user-transfer.controller';
import { AdminUsersController } from './admin-users.controller';
import { StatsController } from './stats.controller';

/** The admin API over users, the audit log and the figures; roles are the rbac feature's own. */
@Module({
  imports: [
    UsersModule,
    RbacModule,
    SessionsModule,
    AuditModule,
    AssetsModule,
    InvitationsModule,
    UserTransferModule,
  ],
  controllers: [
    AdminUsersController,
    AdminUserSessionsController,
    AdminUserTransferController,
    AdminAuditController,
    StatsController,
  ],
  providers: [AuditView, AdminSessionsService],
})
export class AdminModule {}
