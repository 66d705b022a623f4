import { Module } from '@nestjs/common';
import { AssetsModule } from '../assets/assets.module';
import { AuditModule } from '../audit/audit.module';
import { InvitationsModule } from '../invitations/invitations.module';
import { RbacModule } from '../rbac/rbac.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { AdminAuditController } from './admin-audit.controller';
import { AdminUsersController } from './admin-users.controller';
import { StatsController } from './stats.controller';

/** The admin API over users, the audit log and the figures; roles are the rbac feature's own. */
@Module({
  imports: [UsersModule, RbacModule, SessionsModule, AuditModule, AssetsModule, InvitationsModule],
  controllers: [AdminUsersController, AdminAuditController, StatsController],
})
export class AdminModule {}
