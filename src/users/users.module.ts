import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AdminBootstrap } from './admin-bootstrap.service';
import { PasswordHasher } from './password-hasher';
import { PurgePendingJob } from './purge-pending.job';
import { User, UserSchema } from './user.schema';
import { UsersService } from './users.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: User.name, schema: UserSchema }])],
  providers: [UsersService, PasswordHasher, AdminBootstrap, PurgePendingJob],
  exports: [UsersService, PasswordHasher],
})
export class UsersModule {}
