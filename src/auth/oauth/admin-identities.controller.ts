import { Controller, Delete, Get, HttpCode, HttpStatus, Param } from '@nestjs/common';
import { ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../../common/decorators/current-user.decorator';
import { notFound } from '../../common/errors/domain.exception';
import { RequestOrigin } from '../../common/events/domain-event';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { Origin } from '../../common/http/request-origin';
import { ParseObjectIdPipe } from '../../common/pipes/parse-object-id.pipe';
import { RequirePermissions } from '../../rbac/authenticated.decorator';
import { Permission } from '../../rbac/permissions';
import { UsersService } from '../../users/users.service';
import { LinkedIdentityListDto } from './dto/oauth.dto';
import { IdentitiesService } from './identities.service';
import { OAuthService } from './oauth.service';

/** Admins see a user's linked sign-in providers and unlink one (the same last-way-in rule). */
@ApiTags('admin')
@Controller('admin/users')
export class AdminIdentitiesController {
  constructor(
    private readonly oauth: OAuthService,
    private readonly identities: IdentitiesService,
    private readonly users: UsersService,
  ) {}

  /** The user's linked sign-in providers. */
  @Get(':id/identities')
  @RequirePermissions(Permission.UsersRead)
  @ApiProblems(404)
  async listUserIdentities(
    @Param('id', ParseObjectIdPipe) id: string,
  ): Promise<LinkedIdentityListDto> {
    if (!(await this.users.findById(id))) throw notFound('The user');
    return { items: await this.identities.listOf(id) };
  }

  /**
   * Unlinks one of the user's providers (the user is mailed; audited). The only way into the
   * account: 409 `last_sign_in_method`; the caller's own account: 409 `own_account`.
   */
  @Delete(':id/identities/:identityId')
  @RequirePermissions(Permission.UsersManage)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  @ApiProblems(404, 409)
  unlinkUserIdentity(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Param('identityId', ParseObjectIdPipe) identityId: string,
    @Origin() origin: RequestOrigin,
  ): Promise<void> {
    return this.oauth.unlink(id, identityId, origin, admin.id);
  }
}
