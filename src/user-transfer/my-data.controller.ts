import { Controller, Get, Header, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { AuthUser, CurrentUser } from '../common/decorators/current-user.decorator';
import { RequestOrigin } from '../common/events/domain-event';
import { Origin } from '../common/http/request-origin';
import { Authenticated } from '../rbac/authenticated.decorator';
import { MyDataExport } from './my-data-export.service';

@ApiTags('me')
@Authenticated()
@Controller('users/me/export')
export class MyDataController {
  constructor(private readonly exporter: MyDataExport) {}

  /**
   * The caller's own data as one JSON document, streamed: `{ exportedAt, profile, sessions,
   * identities, assets, auditEntries }` (their live sessions, linked sign-in providers, assets,
   * and the audit entries they made or that concern their account). Never a hash, code or token.
   */
  @Get()
  @Header('content-disposition', 'attachment; filename="my-data.json"')
  @ApiOkResponse({
    description: 'The document (application/json).',
    schema: { type: 'object', additionalProperties: true },
  })
  async exportMyData(
    @CurrentUser() caller: AuthUser,
    @Origin() origin: RequestOrigin,
  ): Promise<StreamableFile> {
    const parts = await this.exporter.open(caller.id, caller.sessionId, origin);
    return new StreamableFile(Readable.from(parts), { type: 'application/json' });
  }
}
