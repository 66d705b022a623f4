import { Injectable } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';
import { DomainEvents } from '../common/events/domain-event';
import { Clock } from '../common/time/clock';
import { Grantor } from '../common/decorators/current-actor.decorator';
import { InvitationsService } from '../invitations/invitations.service';
import { beyondHeld } from '../rbac/grants';
import { Permission } from '../rbac/permissions';
import { RbacService } from '../rbac/rbac.service';
import { NewUser, UsersService } from '../users/users.service';
import { PasswordHasher } from '../users/password-hasher';
import { ImportLine, parseImportLine } from './import-line';

/** How many lines are written at once: enough to keep the database busy, few enough to stream. */
const BATCH = 50;
/** The report lists at most this many refused lines (`refusedCount` has them all). */
export const MAX_REFUSED_LISTED = 1000;

export interface ImportReport {
  created: number;
  /** Lines whose email already had an account (also one earlier in the same file). */
  skipped: number;
  /** Users created without a password, who were mailed an invitation. */
  invited: number;
  refusedCount: number;
  refused: { line: number; reason: string }[];
}

interface Candidate {
  line: number;
  user: NewUser;
}

/**
 * Creates users from JSON Lines, one user a line, as the lines arrive. Each line is checked on
 * its own (format, role, the caller's right to grant it, the hash) and then written as one
 * insert, so a refused line writes nothing and a written one is whole; an existing email is
 * skipped, not changed, so running the same file again creates nothing.
 */
@Injectable()
export class UserImport {
  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly rbac: RbacService,
    private readonly invitations: InvitationsService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  async run(
    lines: AsyncIterable<{ number: number; text: string | null }>,
    actor: Grantor,
  ): Promise<ImportReport> {
    const roles = new Map((await this.rbac.list()).map((r) => [r.name, r.permissions]));
    const report: ImportReport = {
      created: 0,
      skipped: 0,
      invited: 0,
      refusedCount: 0,
      refused: [],
    };
    const refuse = (line: number, reason: string) => {
      report.refusedCount += 1;
      if (report.refused.length < MAX_REFUSED_LISTED) report.refused.push({ line, reason });
    };
    let batch: Candidate[] = [];
    for await (const { number, text } of lines) {
      const checked = text === null ? { reason: 'line too long' } : this.check(text, roles, actor);
      if ('reason' in checked) refuse(number, checked.reason);
      else batch.push({ line: number, user: checked });
      if (batch.length >= BATCH) {
        await this.write(batch, report, refuse);
        batch = [];
      }
    }
    await this.write(batch, report, refuse);
    this.events.emit('users.imported', {
      actorId: actor.id,
      ...actor.origin,
      outcome: 'success',
      details: {
        created: report.created,
        skipped: report.skipped,
        invited: report.invited,
        refused: report.refusedCount,
      },
    });
    return report;
  }

  private check(
    text: string,
    roles: Map<string, readonly Permission[]>,
    actor: Grantor,
  ): NewUser | { reason: string } {
    const line = parseImportLine(text);
    if ('reason' in line) return line;
    const permissions = roles.get(line.role);
    if (!permissions) return { reason: `there is no role "${line.role}"` };
    const missing = beyondHeld(actor.permissions, permissions);
    if (missing.length > 0)
      return { reason: `role "${line.role}" grants permissions you do not hold` };
    let passwordHash: string | undefined;
    if (line.passwordHash) {
      const stored = this.hasher.storedFormOf(line.passwordHash);
      if ('error' in stored) return { reason: stored.error };
      passwordHash = stored.stored;
    }
    return this.toNewUser(line, passwordHash);
  }

  private toNewUser(line: ImportLine, passwordHash?: string): NewUser {
    return {
      email: line.email,
      firstName: line.firstName,
      lastName: line.lastName,
      role: line.role,
      status: line.status,
      publicMetadata: line.publicMetadata,
      privateMetadata: line.privateMetadata,
      unsafeMetadata: line.unsafeMetadata,
      ...(line.emailVerified ? { emailVerifiedAt: this.clock.now() } : {}),
      ...(passwordHash ? { passwordHash } : {}),
    };
  }

  /** One insert per line, a batch at a time; the unique index decides what is skipped. */
  private async write(
    batch: Candidate[],
    report: ImportReport,
    refuse: (line: number, reason: string) => void,
  ): Promise<void> {
    await Promise.all(
      batch.map(async ({ line, user }) => {
        try {
          const created = await this.users.create(user);
          report.created += 1;
          if (created.status === 'invited') {
            await this.invitations.inviteImported(created);
            report.invited += 1;
          }
        } catch (error) {
          if (error instanceof DomainException && error.code === 'email_taken') report.skipped += 1;
          else if (error instanceof DomainException) refuse(line, error.message);
          else throw error;
        }
      }),
    );
  }
}
