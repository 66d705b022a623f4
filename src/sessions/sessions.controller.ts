import { Controller, Delete, Get, HttpCode, HttpStatus, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../rbac/authenticated.decorator';
import { AuthUser, CurrentUser } from '../common/decorators/current-user.decorator';
import { DomainEvents, RequestOrigin } from '../common/events/domain-event';
import { Origin } from '../common/http/request-origin';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { ParseObjectIdPipe } from '../common/pipes/parse-object-id.pipe';
import { SessionListDto } from './dto/session.dto';
import { SessionsService } from './sessions.service';

@ApiTags('sessions')
@Authenticated()
@Controller('sessions')
export class SessionsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly events: DomainEvents,
  ) {}

  /** The caller's live sessions, the current one marked. */
  @Get()
  async listSessions(@CurrentUser() user: AuthUser): Promise<SessionListDto> {
    return { items: await this.sessions.list(user.id, user.sessionId) };
  }

  /** Ends one of the caller's sessions (its refresh and access tokens stop working). */
  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiProblems(404)
  async revokeSession(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Origin() origin: RequestOrigin,
  ): Promise<void> {
    await this.sessions.revoke(user.id, id, 'revoked_by_user');
    this.events.emit('sessions.revoked', {
      actorId: user.id,
      targetType: 'session',
      targetId: id,
      ...origin,
      outcome: 'success',
    });
  }
}
