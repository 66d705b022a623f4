import { Controller, Delete, Get, HttpCode, HttpStatus, Param } from '@nestjs/common';
import { ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../common/decorators/current-user.decorator';
import { RequestOrigin } from '../common/events/domain-event';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { Origin } from '../common/http/request-origin';
import { ParseObjectIdPipe } from '../common/pipes/parse-object-id.pipe';
import { RequirePermissions } from '../rbac/authenticated.decorator';
import { Permission } from '../rbac/permissions';
import { AdminSessionsService } from './admin-sessions.service';
import { AdminSessionListDto } from './dto/admin-sessions.dto';

@ApiTags('admin')
@Controller('admin/users')
export class AdminUserSessionsController {
  constructor(private readonly sessions: AdminSessionsService) {}

  /**
   * The user's live sessions (refreshable: not revoked, expired or idle), most recently used
   * first, with user agent, IP and dates; `active` is how many.
   */
  @Get(':id/sessions')
  @RequirePermissions(Permission.UsersRead)
  @ApiProblems(404)
  listUserSessions(
    @Param('id', ParseObjectIdPipe) id: string,
    @CurrentUser() caller: AuthUser,
    @Origin() origin: RequestOrigin,
  ): Promise<AdminSessionListDto> {
    return this.sessions.list(id, { id: caller.id, sessionId: caller.sessionId, origin });
  }

  /** Ends every session of the user (their tokens stop working); audited. */
  @Delete(':id/sessions')
  @RequirePermissions(Permission.UsersManage)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  @ApiProblems(404)
  revokeUserSessions(
    @Param('id', ParseObjectIdPipe) id: string,
    @CurrentUser() caller: AuthUser,
    @Origin() origin: RequestOrigin,
  ): Promise<void> {
    return this.sessions.revokeAll(id, { id: caller.id, sessionId: caller.sessionId, origin });
  }

  /** Ends one session of the user; a session that is not theirs (or not live) is 404. Audited. */
  @Delete(':id/sessions/:sessionId')
  @RequirePermissions(Permission.UsersManage)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  @ApiProblems(404)
  revokeUserSession(
    @Param('id', ParseObjectIdPipe) id: string,
    @Param('sessionId', ParseObjectIdPipe) sessionId: string,
    @CurrentUser() caller: AuthUser,
    @Origin() origin: RequestOrigin,
  ): Promise<void> {
    const who = { id: caller.id, sessionId: caller.sessionId, origin };
    return this.sessions.revoke(id, sessionId, who);
  }
}
