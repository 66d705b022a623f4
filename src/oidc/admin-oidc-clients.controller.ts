import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor } from '../common/decorators/current-actor.decorator';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { RequirePermissions } from '../rbac/authenticated.decorator';
import { Permission } from '../rbac/permissions';
import {
  CreateOidcClientDto,
  OidcClientListDto,
  OidcClientWithSecretDto,
} from './dto/oidc-client.dto';
import { OidcClients } from './oidc-clients.service';

/** The applications that sign users in through us (OpenID Connect) or call APIs as themselves. */
@ApiTags('admin')
@RequirePermissions(Permission.OidcClientsManage)
@Controller('admin/oidc-clients')
export class AdminOidcClientsController {
  constructor(private readonly clients: OidcClients) {}

  /**
   * Registers a client. A confidential one (`public: false`) gets a `clientSecret`, shown in this
   * answer only; a public one (a browser or native app) has none and must use PKCE.
   */
  @Post()
  @ApiProblems(400)
  createOidcClient(
    @Body() dto: CreateOidcClientDto,
    @CurrentActor() actor: Actor,
  ): Promise<OidcClientWithSecretDto> {
    return this.clients.create(dto, actor);
  }

  /** Every client, newest first (never a secret). */
  @Get()
  async listOidcClients(): Promise<OidcClientListDto> {
    return { items: await this.clients.list() };
  }

  /** A new secret, shown in this answer only; the old one stops working at once. 409 for a public client. */
  @Post(':clientId/rotate-secret')
  @HttpCode(HttpStatus.OK)
  @ApiProblems(404, 409)
  rotateOidcClientSecret(
    @Param('clientId') clientId: string,
    @CurrentActor() actor: Actor,
  ): Promise<OidcClientWithSecretDto> {
    return this.clients.rotateSecret(clientId, actor);
  }

  /** Deletes the client and ends every grant and token it holds. */
  @Delete(':clientId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiProblems(404)
  async deleteOidcClient(
    @Param('clientId') clientId: string,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    await this.clients.remove(clientId, actor);
  }
}
