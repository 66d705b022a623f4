import { Module } from '@nestjs/common';
import { RbacModule } from '../../rbac/rbac.module';
import { SessionsModule } from '../../sessions/sessions.module';
import { UsersModule } from '../../users/users.module';
import { TokensModule } from '../tokens/tokens.module';
import { AdminImpersonationController } from './admin-impersonation.controller';
import { ImpersonationController } from './impersonation.controller';
import { ImpersonationGuard } from './impersonation.guard';
import { ImpersonationService } from './impersonation.service';

/** Admins acting as users for support; the guard is global (registered by the app module). */
@Module({
  imports: [UsersModule, RbacModule, SessionsModule, TokensModule],
  controllers: [AdminImpersonationController, ImpersonationController],
  providers: [ImpersonationService, ImpersonationGuard],
  exports: [ImpersonationGuard],
})
export class ImpersonationModule {}
