import { Injectable } from '@nestjs/common';
import { AssetsService } from '../assets/assets.service';
import { AuditService } from '../audit/audit.service';
import { IdentitiesService } from '../auth/oauth/identities.service';
import { notFound } from '../common/errors/domain.exception';
import { DomainEvents, RequestOrigin } from '../common/events/domain-event';
import { Clock } from '../common/time/clock';
import { SessionsService } from '../sessions/sessions.service';
import { UsersService } from '../users/users.service';

const PAGE = 100;

/**
 * A signed-in user's own data as one JSON document (GDPR portability), written piece by piece:
 * profile, live sessions, linked identities, then their assets and audit entries a page at a
 * time, so a user with a long history costs no more memory than one without. Each feature is
 * asked through its service.
 */
@Injectable()
export class MyDataExport {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly identities: IdentitiesService,
    private readonly assets: AssetsService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  /** Resolves the profile first (404 before anything is sent), then yields the document's text. */
  async open(
    userId: string,
    sessionId: string,
    origin: RequestOrigin,
  ): Promise<AsyncGenerator<string>> {
    const profile = await this.users.findById(userId);
    if (!profile) throw notFound('The user');
    const at = this.clock.now();
    this.events.emit('users.data_exported', {
      actorId: userId,
      targetType: 'user',
      targetId: userId,
      ...origin,
      outcome: 'success',
    });
    return this.document(userId, sessionId, profile, at);
  }

  private async *document(
    userId: string,
    sessionId: string,
    profile: object,
    at: Date,
  ): AsyncGenerator<string> {
    yield `{"exportedAt":${JSON.stringify(at.toISOString())},"profile":${JSON.stringify(profile)}`;
    yield `,"sessions":${JSON.stringify(await this.sessions.list(userId, sessionId))}`;
    yield `,"identities":${JSON.stringify(await this.identities.listOf(userId))}`;
    yield ',"assets":[';
    yield* this.items((page) => this.assets.list(userId, { page, limit: PAGE }));
    yield '],"auditEntries":[';
    // What they did, then what was done to their account by others (their own acts once).
    let first = true;
    for await (const part of this.items((page) =>
      this.audit.query({ page, limit: PAGE, actorId: userId, to: at }),
    )) {
      yield part;
      first = false;
    }
    for await (const part of this.items(
      (page) => this.audit.query({ page, limit: PAGE, targetId: userId, to: at }),
      (entry) => entry.actorId !== userId,
      first,
    ))
      yield part;
    yield ']}';
  }

  /** The items of every page, comma-separated, one page in memory at a time. */
  private async *items<T>(
    page: (n: number) => Promise<{ items: T[] }>,
    keep: (item: T) => boolean = () => true,
    first = true,
  ): AsyncGenerator<string> {
    for (let n = 1; ; n += 1) {
      const { items } = await page(n);
      for (const item of items.filter(keep)) {
        yield `${first ? '' : ','}${JSON.stringify(item)}`;
        first = false;
      }
      if (items.length < PAGE) return;
    }
  }
}
