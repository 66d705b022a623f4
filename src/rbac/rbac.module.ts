import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { UsersModule } from '../users/users.module';
import { PermissionsGuard } from './permissions.guard';
import { RbacService } from './rbac.service';
import { Role, RoleSchema } from './role.schema';
import { RolesController } from './roles.controller';

@Module({
  imports: [MongooseModule.forFeature([{ name: Role.name, schema: RoleSchema }]), UsersModule],
  controllers: [RolesController],
  providers: [RbacService, PermissionsGuard],
  exports: [RbacService, PermissionsGuard],
})
export class RbacModule {}
