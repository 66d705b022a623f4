import { Body, Controller, Get, Inject, Optional, Patch } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { RequestOrigin } from '../common/events/domain-event';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { Origin } from '../common/http/request-origin';
import { Authenticated } from '../rbac/authenticated.decorator';
import { Permission } from '../rbac/permissions';
import { UnsafeMetadataDto } from './dto/metadata.dto';
import { MeDto, UpdateProfileDto } from './dto/profile.dto';
import { UserDto } from './dto/user.dto';
import { LINKED_IDENTITIES, LinkedIdentities } from './linked-identities';
import { MeExtrasCache } from './me-extras.cache';
import { SignedInUser } from './signed-in-user';
import { UserMetadata } from './user-metadata.service';
import { UsersService } from './users.service';

@ApiTags('me')
@Authenticated()
@Controller('users/me')
export class MeController {
  constructor(
    private readonly users: UsersService,
    private readonly extras: MeExtrasCache,
    private readonly metadata: UserMetadata,
    @Optional()
    @Inject(LINKED_IDENTITIES)
    private readonly identities?: LinkedIdentities,
  ) {}

  /**
   * The signed-in user, what their role allows and how they can sign in. The user is what the
   * session check already read (cached per session, dropped on any change to the user); whether
   * a password is set and the linked identities come from a per-user cache with the same rules,
   * so a warm call costs no query.
   */
  @Get()
  getMe(@CurrentUser() caller: SignedInUser): Promise<MeDto> {
    return this.me(caller.user, caller.permissions);
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
    return this.me(user, caller.permissions);
  }

  /** Replaces the caller's `unsafeMetadata` (the one slot a user writes). */
  @Patch('metadata')
  async setMyMetadata(
    @CurrentUser() caller: SignedInUser,
    @Body() dto: UnsafeMetadataDto,
    @Origin() origin: RequestOrigin,
  ): Promise<MeDto> {
    const actor = { id: caller.id, origin };
    const user = await this.metadata.set(caller.id, { unsafeMetadata: dto.unsafeMetadata }, actor, {
      admin: false,
    });
    return this.me(user, caller.permissions);
  }

  private async me(user: UserDto, permissions: readonly string[] = []): Promise<MeDto> {
    const { hasPassword, identities } = await this.extras.get(user.id, async () => {
      const [hasPassword, identities] = await Promise.all([
        this.users.hasPassword(user.id),
        this.identities?.listOf(user.id) ?? [],
      ]);
      return { hasPassword, identities };
    });
    return { ...user, permissions: [...permissions] as Permission[], hasPassword, identities };
  }
}
