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
  Query,
} from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import {
  Actor,
  CurrentActor,
  CurrentGrantor,
  Grantor,
} from '../common/decorators/current-actor.decorator';
import { AuthUser, CurrentUser } from '../common/decorators/current-user.decorator';
import { Page } from '../common/dto/pagination.dto';
import { notFound } from '../common/errors/domain.exception';
import { RequestOrigin } from '../common/events/domain-event';
import { ApiPage } from '../common/http/api-page.decorator';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { Origin } from '../common/http/request-origin';
import { ParseObjectIdPipe } from '../common/pipes/parse-object-id.pipe';
import { InviteUserDto } from '../invitations/dto/invitation.dto';
import { InvitationsService } from '../invitations/invitations.service';
import { RequirePermissions } from '../rbac/authenticated.decorator';
import { Permission } from '../rbac/permissions';
import { RbacService } from '../rbac/rbac.service';
import { AccountLifecycle } from '../users/account-lifecycle.service';
import { AdminMetadataDto } from '../users/dto/metadata.dto';
import { UpdateProfileDto } from '../users/dto/profile.dto';
import { UserDto } from '../users/dto/user.dto';
import { UserMetadata } from '../users/user-metadata.service';
import { UserDirectory } from '../users/user-directory.service';
import { usersErrors } from '../users/users.errors';
import { UsersService } from '../users/users.service';
import {
  ListInvitationsQueryDto,
  ListUsersQueryDto,
  SetRoleDto,
  SetStatusDto,
} from './dto/admin-users.dto';

@ApiTags('admin')
@Controller('admin/users')
export class AdminUsersController {
  constructor(
    private readonly users: UsersService,
    private readonly directory: UserDirectory,
    private readonly lifecycle: AccountLifecycle,
    private readonly rbac: RbacService,
    private readonly invitations: InvitationsService,
    private readonly metadata: UserMetadata,
  ) {}

  /** Users, newest first by default; search, filter by role and status, sort, page. */
  @Get()
  @RequirePermissions(Permission.UsersRead)
  @ApiPage(UserDto)
  listUsers(@Query() query: ListUsersQueryDto): Promise<Page<UserDto>> {
    return this.directory.list(query);
  }

  /**
   * Creates an account and mails its owner an invitation code (`status: invited` until they
   * accept it with POST /auth/accept-invitation). The role defaults to `user`; an unknown role is
   * 400, one with a permission the caller lacks 403 `permission_escalation`; a taken email 409.
   */
  @Post()
  @RequirePermissions(Permission.UsersManage)
  @ApiProblems(409)
  inviteUser(@Body() dto: InviteUserDto, @CurrentGrantor() grantor: Grantor): Promise<UserDto> {
    return this.invitations.invite(dto, grantor);
  }

  /** Pending invitations: the accounts still `invited`, newest first (search and sort as the list). */
  @Get('invitations')
  @RequirePermissions(Permission.UsersRead)
  @ApiPage(UserDto)
  listInvitations(@Query() query: ListInvitationsQueryDto): Promise<Page<UserDto>> {
    return this.directory.list({ ...query, status: 'invited' });
  }

  /** Mails a fresh invitation code (the old one stops working), also after it expired; 409 `not_invited` once accepted. */
  @Post(':id/invitation')
  @HttpCode(HttpStatus.OK)
  @RequirePermissions(Permission.UsersManage)
  @ApiProblems(404, 409)
  resendInvitation(
    @Param('id', ParseObjectIdPipe) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<UserDto> {
    return this.invitations.resend(id, actor);
  }

  /** Revokes the invitation: the invited account and its code are deleted; 409 `not_invited` once accepted. */
  @Delete(':id/invitation')
  @RequirePermissions(Permission.UsersManage)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiProblems(404, 409)
  async revokeInvitation(
    @Param('id', ParseObjectIdPipe) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    await this.invitations.revoke(id, actor);
  }

  /** One user. */
  @Get(':id')
  @RequirePermissions(Permission.UsersRead)
  @ApiProblems(404)
  async getUser(@Param('id', ParseObjectIdPipe) id: string): Promise<UserDto> {
    const user = await this.directory.get(id);
    if (!user) throw notFound('The user');
    return user;
  }

  /**
   * Changes the user's profile fields (as `PATCH /users/me`); the user is mailed which changed.
   * No body changes nothing.
   */
  @Patch(':id')
  @RequirePermissions(Permission.UsersManage)
  @ApiBody({ type: UpdateProfileDto, required: false })
  @ApiProblems(404, 409)
  updateUserProfile(
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() dto: UpdateProfileDto,
    @CurrentUser() caller: AuthUser,
    @Origin() origin: RequestOrigin,
  ): Promise<UserDto> {
    return this.users.updateProfile(id, dto, origin, caller.id);
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
    @CurrentActor() actor: Actor,
  ): Promise<UserDto> {
    if (id === actor.id && dto.status === 'disabled') throw usersErrors.ownAccount();
    return this.lifecycle.setStatus(id, dto.status, actor);
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
    @CurrentGrantor() grantor: Grantor,
  ): Promise<UserDto> {
    const role = await this.rbac.find(dto.role);
    if (!role) throw usersErrors.unknownRole(dto.role);
    return this.lifecycle.setRole(id, role, grantor);
  }

  /**
   * Writes a user's custom data: each slot given (`publicMetadata`, `privateMetadata`,
   * `unsafeMetadata`) is replaced whole; 400 for a slot over 8 KiB, not an object, or with a key
   * starting with `$` or containing `.`.
   */
  @Patch(':id/metadata')
  @RequirePermissions(Permission.UsersManage)
  @ApiBody({ type: AdminMetadataDto, required: false })
  @ApiProblems(404)
  setUserMetadata(
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() dto: AdminMetadataDto,
    @CurrentActor() actor: Actor,
  ): Promise<UserDto> {
    return this.metadata.set(id, dto, actor, { admin: true });
  }

  /** Deletes a user and everything they own. Not the caller's own account, nor the last active admin (409). */
  @Delete(':id')
  @RequirePermissions(Permission.UsersDelete)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiProblems(404, 409)
  async deleteUser(
    @Param('id', ParseObjectIdPipe) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    if (id === actor.id) throw usersErrors.ownAccount();
    await this.lifecycle.delete(id, actor);
  }
}
