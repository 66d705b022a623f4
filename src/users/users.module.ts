import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountLifecycle } from './account-lifecycle.service';
import { AdminBootstrap } from './admin-bootstrap.service';
import { AdminGuard } from './admin-guard';
import { AdminGuardLock, AdminGuardLockSchema } from './admin-guard.schema';
import { FinishDeletionsJob } from './finish-deletions.job';
import { MeController } from './me.controller';
import { MeExtrasCache } from './me-extras.cache';
import { PasswordHasher } from './password-hasher';
import { PurgePendingJob } from './purge-pending.job';
import { UserDirectory } from './user-directory.service';
import { User, UserSchema } from './user.schema';
import { UsersService } from './users.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: User.name, schema: UserSchema },
      { name: AdminGuardLock.name, schema: AdminGuardLockSchema },
    ]),
  ],
  controllers: [MeController],
  providers: [
    UsersService,
    PasswordHasher,
    AccountLifecycle,
    AdminGuard,
    MeExtrasCache,
    UserDirectory,
    AdminBootstrap,
    PurgePendingJob,
    FinishDeletionsJob,
  ],
  exports: [UsersService, PasswordHasher, AccountLifecycle, UserDirectory],
})
export class UsersModule {}
