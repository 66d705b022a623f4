import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Query,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../common/decorators/current-user.decorator';
import { Page } from '../common/dto/pagination.dto';
import { notFound } from '../common/errors/domain.exception';
import { RequestOrigin } from '../common/events/domain-event';
import { ApiPage } from '../common/http/api-page.decorator';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { Origin } from '../common/http/request-origin';
import { ParseObjectIdPipe } from '../common/pipes/parse-object-id.pipe';
import { RequirePermissions } from '../rbac/authenticated.decorator';
import { Permission } from '../rbac/permissions';
import { RbacService } from '../rbac/rbac.service';
import { SessionsService } from '../sessions/sessions.service';
import { AccountLifecycle } from '../users/account-lifecycle.service';
import { UserDto } from '../users/dto/user.dto';
import { UserDirectory } from '../users/user-directory.service';
import { usersErrors } from '../users/users.errors';
import { UsersService } from '../users/users.service';
import { SessionStatsDto } from './dto/stats.dto';
import { ListUsersQueryDto, SetRoleDto, SetStatusDto } from './dto/admin-users.dto';

@ApiTags('admin')
@Controller('admin/users')
export class AdminUsersController {
  constructor(
    private readonly users: UsersService,
    private readonly directory: UserDirectory,
    private readonly lifecycle: AccountLifecycle,
    private readonly rbac: RbacService,
    private readonly sessions: SessionsService,
  ) {}

  /** Users, newest first by default; search, filter by role and status, sort, page. */
  @Get()
  @RequirePermissions(Permission.UsersRead)
  @ApiPage(UserDto)
  listUsers(@Query() query: ListUsersQueryDto): Promise<Page<UserDto>> {
    return this.directory.list(query);
  }

  /** One user. */
  @Get(':id')
  @RequirePermissions(Permission.UsersRead)
  @ApiProblems(404)
  async getUser(@Param('id', ParseObjectIdPipe) id: string): Promise<UserDto> {
    const user = await this.users.findById(id);
    if (!user) throw notFound('The user');
    return user;
  }

  /** How many sessions of the user are live now (refreshable: not revoked, expired or idle). */
  @Get(':id/sessions')
  @RequirePermissions(Permission.UsersRead)
  @ApiProblems(404)
  async countUserSessions(@Param('id', ParseObjectIdPipe) id: string): Promise<SessionStatsDto> {
    if (!(await this.users.findById(id))) throw notFound('The user');
    return { active: await this.sessions.countLiveOf(id) };
  }

  /**
   * Activates or disables a user. Disabling ends all their sessions at once. Not for the caller's
   * own account, nor the last active admin (409).
   */
  @Patch(':id/status')
  @RequirePermissions(Permission.UsersManage)
  @ApiProblems(404, 409)
  setUserStatus(
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() dto: SetStatusDto,
    @CurrentUser() caller: AuthUser,
    @Origin() origin: RequestOrigin,
  ): Promise<UserDto> {
    if (id === caller.id && dto.status === 'disabled') throw usersErrors.ownAccount();
    return this.lifecycle.setStatus(id, dto.status, { id: caller.id, origin });
  }

  /**
   * Gives a user another role; it applies on their next request. Not the caller's own role (403
   * `own_role`), nor a role with a permission the caller lacks (403 `permission_escalation`).
   * The last active admin keeps theirs (409).
   */
  @Patch(':id/role')
  @RequirePermissions(Permission.UsersManage)
  @ApiProblems(404, 409)
  async setUserRole(
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() dto: SetRoleDto,
    @CurrentUser() caller: AuthUser,
    @Origin() origin: RequestOrigin,
  ): Promise<UserDto> {
    const role = await this.rbac.find(dto.role);
    if (!role) throw usersErrors.unknownRole(dto.role);
    const grantor = { id: caller.id, origin, permissions: caller.permissions ?? [] };
    return this.lifecycle.setRole(id, role, grantor);
  }

  /** Deletes a user and everything they own. Not the caller's own account, nor the last active admin (409). */
  @Delete(':id')
  @RequirePermissions(Permission.UsersDelete)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiProblems(404, 409)
  async deleteUser(
    @Param('id', ParseObjectIdPipe) id: string,
    @CurrentUser() caller: AuthUser,
    @Origin() origin: RequestOrigin,
  ): Promise<void> {
    if (id === caller.id) throw usersErrors.ownAccount();
    await this.lifecycle.delete(id, { id: caller.id, origin });
  }
}
