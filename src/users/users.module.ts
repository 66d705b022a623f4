import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountLifecycle } from './account-lifecycle.service';
import { AdminBootstrap } from './admin-bootstrap.service';
import { AdminGuard } from './admin-guard';
import { AdminGuardLock, AdminGuardLockSchema } from './admin-guard.schema';
import { FinishDeletionsJob } from './finish-deletions.job';
import { InvitedUsers } from './invited-users.service';
import { MeController } from './me.controller';
import { MeExtrasCache } from './me-extras.cache';
import { PasswordHasher } from './password-hasher';
import { PurgePendingJob } from './purge-pending.job';
import { UserDirectory } from './user-directory.service';
import { UserExport } from './user-export.service';
import { UserMetadata } from './user-metadata.service';
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
    InvitedUsers,
    UserExport,
    UserMetadata,
    AdminBootstrap,
    PurgePendingJob,
    FinishDeletionsJob,
  ],
  exports: [
    UsersService,
    PasswordHasher,
    AccountLifecycle,
    UserDirectory,
    InvitedUsers,
    UserExport,
    UserMetadata,
  ],
})
export class UsersModule {}
