import { Controller, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuthUser, CurrentUser } from '../common/decorators/current-user.decorator';
import { RequestOrigin } from '../common/events/domain-event';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { AcceptsNdjson, NDJSON, ndjsonBody, readLines } from '../common/http/ndjson-body';
import { Origin } from '../common/http/request-origin';
import { RequirePermissions } from '../rbac/authenticated.decorator';
import { Permission } from '../rbac/permissions';
import { UserImport } from '../user-transfer/user-import.service';
import { ImportReportDto } from './dto/user-transfer.dto';

/** The longest import line read; a longer one is refused (`line too long`) without being held. */
const MAX_LINE_BYTES = 64 * 1024;

@ApiTags('admin')
@Controller('admin/users')
export class AdminUserTransferController {
  constructor(private readonly importer: UserImport) {}

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
    @CurrentUser() caller: AuthUser,
    @Origin() origin: RequestOrigin,
  ): Promise<ImportReportDto> {
    const lines = readLines(ndjsonBody(request), MAX_LINE_BYTES);
    const grantor = { id: caller.id, origin, permissions: caller.permissions ?? [] };
    return this.importer.run(lines, grantor);
  }
}
