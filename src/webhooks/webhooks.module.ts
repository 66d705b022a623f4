import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { UsersModule } from '../users/users.module';
import { AdminWebhooksController } from './admin-webhooks.controller';
import { WebhookDispatcher } from './delivery/webhook-dispatcher';
import { WebhookWorker } from './delivery/webhook-worker';
import { WebhookDelivery, WebhookDeliverySchema } from './webhook-delivery.schema';
import { WebhookEndpoint, WebhookEndpointSchema } from './webhook-endpoint.schema';
import { WebhookEndpoints } from './webhook-endpoints.service';
import { WebhookOutbox } from './webhook-outbox.service';
import { WebhookOutboxListener } from './webhook-outbox.listener';
import { PurgeWebhookDeliveriesJob } from './purge-webhook-deliveries.job';
import { SweepWebhookChangesJob } from './sweep-webhook-changes.job';
import { WebhookChangeSweeper } from './webhook-change-sweeper';
import { WebhookSweepState, WebhookSweepStateSchema } from './webhook-sweep-state.schema';
import { WebhookUserMark, WebhookUserMarkSchema } from './webhook-user-mark.schema';

/**
 * Outgoing webhooks (Standard Webhooks): endpoints admins manage, an outbox in MongoDB written
 * when users and sessions change, and a worker on every instance that delivers each entry once
 * at a time (a lease in the entry), retrying on a schedule of about a day.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: WebhookEndpoint.name, schema: WebhookEndpointSchema },
      { name: WebhookDelivery.name, schema: WebhookDeliverySchema },
      { name: WebhookUserMark.name, schema: WebhookUserMarkSchema },
      { name: WebhookSweepState.name, schema: WebhookSweepStateSchema },
    ]),
    UsersModule,
  ],
  controllers: [AdminWebhooksController],
  providers: [
    WebhookEndpoints,
    WebhookOutbox,
    WebhookOutboxListener,
    WebhookDispatcher,
    WebhookWorker,
    PurgeWebhookDeliveriesJob,
    WebhookChangeSweeper,
    SweepWebhookChangesJob,
  ],
  exports: [WebhookOutbox, WebhookDispatcher],
})
export class WebhooksModule {}
