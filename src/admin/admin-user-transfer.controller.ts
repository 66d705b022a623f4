import {
  Controller,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Inject,
  Post,
  Query,
  Req,
  StreamableFile,
} from '@nestjs/common';
import { Readable } from 'node:stream';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentGrantor, Grantor } from '../common/decorators/current-actor.decorator';
import { AuthUser, CurrentUser } from '../common/decorators/current-user.decorator';
import { RequestOrigin } from '../common/events/domain-event';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { AcceptsNdjson, NDJSON, ndjsonBody, readLines } from '../common/http/ndjson-body';
import { Origin } from '../common/http/request-origin';
import { RequirePermissions } from '../rbac/authenticated.decorator';
import { Permission } from '../rbac/permissions';
import { UserImport } from '../user-transfer/user-import.service';
import { usersConfig, UsersConfig } from '../config/configuration';
import { UserExport } from '../users/user-export.service';
import { exportErrors } from '../users/users.errors';
import { DomainEvents } from '../common/events/domain-event';
import { ExportUsersQueryDto, ImportReportDto } from './dto/user-transfer.dto';

/** The longest import line read; a longer one is refused (`line too long`) without being held. */
const MAX_LINE_BYTES = 64 * 1024;

@ApiTags('admin')
@Controller('admin/users')
export class AdminUserTransferController {
  constructor(
    private readonly importer: UserImport,
    private readonly exporter: UserExport,
    private readonly events: DomainEvents,
    @Inject(usersConfig.KEY) private readonly config: UsersConfig,
  ) {}

  /**
   * Every user matching the list's filters, oldest first, as JSON Lines (the import's line
   * format plus `id`, `username`, `locale`, `twoFactorEnabled`, `createdAt`, `lastLoginAt`),
   * streamed through a cursor. `passwordHashes=true` adds our own hashes: 403
   * `hash_export_disabled` unless EXPORT_PASSWORD_HASHES is on, 403 `hash_export_forbidden`
   * without `users:export-hashes`.
   */
  @Get('export')
  @RequirePermissions(Permission.UsersRead)
  @Header('content-disposition', 'attachment; filename="users.ndjson"')
  @ApiProduces(NDJSON)
  @ApiOkResponse({ description: 'One user a line.', schema: { type: 'string' } })
  exportUsers(
    @Query() query: ExportUsersQueryDto,
    @CurrentUser() caller: AuthUser,
    @Origin() origin: RequestOrigin,
  ): StreamableFile {
    const passwordHashes = query.passwordHashes === true;
    if (passwordHashes && !this.config.exportPasswordHashes) throw exportErrors.hashesDisabled();
    if (passwordHashes && !caller.permissions?.includes(Permission.UsersExportHashes))
      throw exportErrors.hashesForbidden();
    const { search, role, status, metadata } = query;
    this.events.emit('users.exported', {
      actorId: caller.id,
      ...origin,
      outcome: 'success',
      details: { passwordHashes, ...(role ? { role } : {}), ...(status ? { status } : {}) },
    });
    const users = this.exporter.users({ search, role, status, metadata }, { passwordHashes });
    return new StreamableFile(Readable.from(jsonLines(users)), { type: NDJSON });
  }

  /**
   * Creates users from JSON Lines (`application/x-ndjson`), streamed: one user a line, with an
   * optional password hash in its own format (bcrypt, argon2, scrypt, Firebase scrypt, PBKDF2;
   * see the API contract for the line format). Each line is checked alone; a refused line writes
   * nothing, an existing email is skipped. Users without a hash are invited.
   */
  @Post('import')
  @HttpCode(HttpStatus.OK)
  @RequirePermissions(Permission.UsersManage)
  @AcceptsNdjson()
  @ApiConsumes(NDJSON)
  @ApiBody({
    description:
      'One JSON object a line: `{ email, emailVerified?, firstName?, lastName?, role?, status?, passwordHash? }`.',
    schema: { type: 'string' },
  })
  @ApiProblems(415)
  importUsers(
    @Req() request: FastifyRequest,
    @CurrentGrantor() grantor: Grantor,
  ): Promise<ImportReportDto> {
    const lines = readLines(ndjsonBody(request), MAX_LINE_BYTES);
    return this.importer.run(lines, grantor);
  }
}

async function* jsonLines(items: AsyncIterable<object>): AsyncGenerator<string> {
  for await (const item of items) yield `${JSON.stringify(item)}\n`;
}
