import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { RequestOrigin } from '../common/events/domain-event';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { Origin } from '../common/http/request-origin';
import { Authenticated } from '../rbac/authenticated.decorator';
import { Permission } from '../rbac/permissions';
import { MeDto, UpdateProfileDto } from './dto/profile.dto';
import { UserDto } from './dto/user.dto';
import { SignedInUser } from './signed-in-user';
import { UsersService } from './users.service';

@ApiTags('me')
@Authenticated()
@Controller('users/me')
export class MeController {
  constructor(private readonly users: UsersService) {}

  /**
   * The signed-in user and what their role allows. Served from what the session check already
   * read (cached per session, dropped on any change to the user): no query of its own.
   */
  @Get()
  getMe(@CurrentUser() caller: SignedInUser): MeDto {
    return withPermissions(caller.user, caller.permissions);
  }

  /** Changes the caller's profile; the user is mailed which fields changed. No body changes nothing. */
  @Patch()
  @ApiBody({ type: UpdateProfileDto, required: false })
  @ApiProblems(409)
  async updateMe(
    @CurrentUser() caller: SignedInUser,
    @Body() dto: UpdateProfileDto,
    @Origin() origin: RequestOrigin,
  ): Promise<MeDto> {
    const user = await this.users.updateProfile(caller.id, dto, origin);
    return withPermissions(user, caller.permissions);
  }
}

function withPermissions(user: UserDto, permissions: readonly string[] = []): MeDto {
  return { ...user, permissions: [...permissions] as Permission[] };
}
