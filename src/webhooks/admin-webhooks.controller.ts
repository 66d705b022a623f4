import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
} from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor } from '../common/decorators/current-actor.decorator';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { ParseObjectIdPipe } from '../common/pipes/parse-object-id.pipe';
import { RequirePermissions } from '../rbac/authenticated.decorator';
import { Permission } from '../rbac/permissions';
import { WebhookDeliveryDto, WebhookDeliveryListDto } from './dto/webhook-delivery.dto';
import {
  CreateWebhookDto,
  UpdateWebhookDto,
  WebhookDto,
  WebhookListDto,
  WebhookWithSecretDto,
} from './dto/webhook.dto';
import { WebhookEndpoints } from './webhook-endpoints.service';
import { WebhookOutbox } from './webhook-outbox.service';

/** The endpoints told of user and session events (Standard Webhooks), and their deliveries. */
@ApiTags('admin')
@RequirePermissions(Permission.WebhooksManage)
@Controller('admin/webhooks')
export class AdminWebhooksController {
  constructor(
    private readonly endpoints: WebhookEndpoints,
    private readonly outbox: WebhookOutbox,
  ) {}

  /** Registers an endpoint; its signing `secret` is in this answer only. */
  @Post()
  @ApiProblems(400)
  createWebhook(
    @Body() dto: CreateWebhookDto,
    @CurrentActor() actor: Actor,
  ): Promise<WebhookWithSecretDto> {
    return this.endpoints.create(dto, actor);
  }

  /** Every endpoint, newest first (never a secret). */
  @Get()
  async listWebhooks(): Promise<WebhookListDto> {
    return { items: await this.endpoints.list() };
  }

  /** One endpoint (never its secret). */
  @Get(':id')
  @ApiProblems(404)
  getWebhook(@Param('id', ParseObjectIdPipe) id: string): Promise<WebhookDto> {
    return this.endpoints.get(id);
  }

  /** Changes the URL, the events, the description or the enabled flag (none: nothing changes). */
  @Patch(':id')
  @ApiBody({ type: UpdateWebhookDto, required: false })
  @ApiProblems(400, 404)
  updateWebhook(
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() dto: UpdateWebhookDto,
    @CurrentActor() actor: Actor,
  ): Promise<WebhookDto> {
    return this.endpoints.update(id, dto, actor);
  }

  /** Deletes the endpoint and its deliveries, pending ones included. */
  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiProblems(404)
  async deleteWebhook(
    @Param('id', ParseObjectIdPipe) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    await this.endpoints.remove(id, actor);
    await this.outbox.dropFor(id);
  }

  /**
   * A new signing secret, in this answer only. The previous one still signs for
   * WEBHOOK_SECRET_OVERLAP (24h by default): every delivery carries both signatures meanwhile.
   */
  @Post(':id/rotate-secret')
  @HttpCode(HttpStatus.OK)
  @ApiProblems(404)
  rotateWebhookSecret(
    @Param('id', ParseObjectIdPipe) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<WebhookWithSecretDto> {
    return this.endpoints.rotateSecret(id, actor);
  }

  /** The endpoint's 50 most recent deliveries, newest first, with their attempts. */
  @Get(':id/deliveries')
  @ApiProblems(404)
  async listWebhookDeliveries(
    @Param('id', ParseObjectIdPipe) id: string,
  ): Promise<WebhookDeliveryListDto> {
    return { items: await this.outbox.recent(id) };
  }

  /** Sends a delivery again (same `webhook-id` and body), as a new delivery due now. */
  @Post(':id/deliveries/:deliveryId/resend')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiProblems(404)
  async resendWebhookDelivery(
    @Param('id', ParseObjectIdPipe) id: string,
    @Param('deliveryId', ParseObjectIdPipe) deliveryId: string,
    @CurrentActor() actor: Actor,
  ): Promise<WebhookDeliveryDto> {
    return this.outbox.resend(id, deliveryId, actor);
  }
}
