import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  Actor,
  CurrentActor,
  CurrentGrantor,
  Grantor,
} from '../common/decorators/current-actor.decorator';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { RequirePermissions } from './authenticated.decorator';
import { CreateRoleDto, RoleDto, RoleListDto, UpdateRoleDto } from './dto/role.dto';
import { Permission } from './permissions';
import { RbacService } from './rbac.service';

@ApiTags('admin')
@RequirePermissions(Permission.RolesManage)
@Controller('admin/roles')
export class RolesController {
  constructor(private readonly rbac: RbacService) {}

  /** Every role, built-in first, with its permissions. */
  @Get()
  async listRoles(): Promise<RoleListDto> {
    return { items: await this.rbac.list() };
  }

  /** Creates a custom role, with permissions the caller holds (403 `permission_escalation`). */
  @Post()
  @ApiProblems(409)
  createRole(@Body() dto: CreateRoleDto, @CurrentGrantor() grantor: Grantor): Promise<RoleDto> {
    return this.rbac.create(dto.name, dto.permissions, grantor);
  }

  /**
   * Replaces a custom role's permissions; its holders get them on their next request. Adding a
   * permission the caller lacks is 403 `permission_escalation`.
   */
  @Patch(':name')
  @ApiProblems(404, 409)
  updateRole(
    @Param('name') name: string,
    @Body() dto: UpdateRoleDto,
    @CurrentGrantor() grantor: Grantor,
  ): Promise<RoleDto> {
    return this.rbac.update(name, dto.permissions, grantor);
  }

  /** Deletes a custom role that nobody holds. */
  @Delete(':name')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiProblems(404, 409)
  async deleteRole(@Param('name') name: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.rbac.delete(name, actor);
  }
}
