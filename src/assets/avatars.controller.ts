import { Controller, Delete, Put, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuthUser, CurrentUser } from '../common/decorators/current-user.decorator';
import { RequestOrigin } from '../common/events/domain-event';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { AcceptsMultipart } from '../common/http/multipart';
import { Origin } from '../common/http/request-origin';
import { Authenticated } from '../rbac/authenticated.decorator';
import { UserDto } from '../users/dto/user.dto';
import { AvatarsService } from './avatars.service';
import { AvatarUploadDto } from './dto/asset.dto';
import { readFilePart } from './upload/multipart-file';

@ApiTags('me')
@Authenticated()
@Controller('users/me/avatar')
export class AvatarsController {
  constructor(private readonly avatars: AvatarsService) {}

  /**
   * Sets the caller's avatar (multipart, part `avatar`: jpeg, png, webp or gif); the previous one
   * is deleted, from storage too.
   */
  @Put()
  @AcceptsMultipart()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: AvatarUploadDto })
  @ApiProblems(413, 503)
  async setAvatar(
    @CurrentUser() user: AuthUser,
    @Req() request: FastifyRequest,
    @Origin() origin: RequestOrigin,
  ): Promise<UserDto> {
    return this.avatars.replace(user.id, await readFilePart(request, 'avatar'), origin);
  }

  /** Removes the caller's avatar, from storage too. */
  @Delete()
  removeAvatar(@CurrentUser() user: AuthUser, @Origin() origin: RequestOrigin): Promise<UserDto> {
    return this.avatars.remove(user.id, origin);
  }
}
