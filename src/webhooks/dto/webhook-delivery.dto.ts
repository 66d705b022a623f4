import { ApiProperty } from '@nestjs/swagger';
import { DELIVERY_STATES, DeliveryState } from '../webhook-delivery.schema';
import { WEBHOOK_EVENT_TYPES } from '../webhook-event-types';

export class DeliveryAttemptDto {
  @ApiProperty({ format: 'date-time' })
  at!: string;
  /** The receiver's HTTP status; absent when no answer came. */
  status?: number;
  durationMs!: number;
  /** The first 500 characters of the answer. */
  response?: string;
  /** Why there was no usable answer: timeout, connection_failed, blocked_address, dns_failed, https_required, invalid_url, endpoint_disabled. */
  error?: string;
}

export class WebhookDeliveryDto {
  @ApiProperty({ example: '665f1c2e8b3c4a0012345678' })
  id!: string;
  /** The `webhook-id` header: the same on every attempt. */
  @ApiProperty({ example: 'msg_2mJ1oY0dNQ1vPZkz4cT3bA' })
  messageId!: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES })
  type!: string;
  @ApiProperty({ enum: DELIVERY_STATES })
  state!: DeliveryState;
  attemptCount!: number;
  /** The latest attempts, oldest first. */
  attempts!: DeliveryAttemptDto[];
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
  @ApiProperty({ format: 'date-time', required: false })
  deliveredAt?: string;
  /** When a pending delivery is tried next. */
  @ApiProperty({ format: 'date-time', required: false })
  nextAttemptAt?: string;
}

export class WebhookDeliveryListDto {
  /** The most recent 50, newest first. */
  items!: WebhookDeliveryDto[];
}
