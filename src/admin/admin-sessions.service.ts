import { Injectable } from '@nestjs/common';
import { notFound } from '../common/errors/domain.exception';
import { DomainEvents, RequestOrigin } from '../common/events/domain-event';
import { SessionsService } from '../sessions/sessions.service';
import { UsersService } from '../users/users.service';
import { AdminSessionListDto } from './dto/admin-sessions.dto';

interface Caller {
  id: string;
  sessionId: string;
  origin: RequestOrigin;
}

/**
 * A user's sessions as an admin sees and ends them. Revoking works like the user's own sign-out:
 * the refresh token is refused at once and the access token at its next check (every instance's
 * session cache drops it). Each revocation is audited with the user as the target.
 */
@Injectable()
export class AdminSessionsService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly events: DomainEvents,
  ) {}

  async list(userId: string, caller: Caller): Promise<AdminSessionListDto> {
    await this.existing(userId);
    const items = await this.sessions.list(userId, caller.sessionId);
    return { active: items.length, items };
  }

  /** Ends one session of the user; another user's session is not found, like a missing one. */
  async revoke(userId: string, sessionId: string, caller: Caller): Promise<void> {
    await this.existing(userId);
    await this.sessions.revoke(userId, sessionId, 'revoked_by_admin');
    this.audit(userId, caller, { sessionId });
  }

  /** Ends every session of the user; 204 also when there was none. */
  async revokeAll(userId: string, caller: Caller): Promise<void> {
    await this.existing(userId);
    const count = await this.sessions.revokeAll(userId, 'revoked_by_admin');
    this.audit(userId, caller, { all: true, count });
  }

  private async existing(userId: string): Promise<void> {
    if (!(await this.users.findById(userId))) throw notFound('The user');
  }

  private audit(userId: string, caller: Caller, details: Record<string, unknown>): void {
    this.events.emit('sessions.revoked_by_admin', {
      actorId: caller.id,
      targetType: 'user',
      targetId: userId,
      ...caller.origin,
      outcome: 'success',
      details,
    });
  }
}
