import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

export const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** One try: what the receiver answered (or why there was no answer), and how long it took. */
@Schema({ _id: false, versionKey: false })
export class DeliveryAttempt {
  @Prop({ required: true })
  at!: Date;

  /** The HTTP status; unset when no answer came (timeout, refused, blocked address). */
  @Prop()
  status?: number;

  @Prop({ required: true })
  durationMs!: number;

  /** The first bytes of the answer's body, as text. */
  @Prop()
  response?: string;

  /** Why there was no usable answer (`timeout`, `connection_failed`, `blocked_address`, ...). */
  @Prop()
  error?: string;
}

const DeliveryAttemptSchema = SchemaFactory.createForClass(DeliveryAttempt);

/**
 * The outbox: one document per event per subscribed endpoint, written when the change happens
 * and kept until delivered or given up. `body` is fixed at creation, so every retry sends (and
 * signs) the same bytes under the same `messageId` (the `webhook-id` header).
 *
 * `dueAt` is both the schedule and the lease: an instance takes a due delivery by moving it
 * forward past its own deadline in one conditional update (with a fresh `claim`), so no other
 * instance sees it as due while it works; if the holder dies, the time simply comes again.
 */
@Schema({ collection: 'webhook_deliveries', versionKey: false })
export class WebhookDelivery {
  _id!: Types.ObjectId;

  @Prop({ required: true })
  endpointId!: Types.ObjectId;

  @Prop({ required: true })
  messageId!: string;

  @Prop({ required: true })
  type!: string;

  @Prop({ required: true })
  body!: string;

  @Prop({ required: true, enum: DELIVERY_STATES })
  state!: DeliveryState;

  @Prop({ required: true })
  dueAt!: Date;

  /** Who holds it now (a random value per take); the result is written only under it. */
  @Prop()
  claim?: string;

  /** The instance that took it last (INSTANCE_ID), for operators reading the outbox. */
  @Prop()
  holder?: string;

  @Prop({ required: true, default: 0 })
  attemptCount!: number;

  /** The latest attempts, oldest first (capped). */
  @Prop({ type: [DeliveryAttemptSchema], default: [] })
  attempts!: DeliveryAttempt[];

  @Prop({ required: true })
  createdAt!: Date;

  @Prop()
  deliveredAt?: Date;

  /**
   * `<endpointId>:<event key>` for an event that must be written once however many writers try
   * (the sweeper's catch-up events, user.deleted): the unique index refuses the second.
   */
  @Prop()
  key?: string;
}

export const WebhookDeliverySchema = SchemaFactory.createForClass(WebhookDelivery);
WebhookDeliverySchema.index({ state: 1, dueAt: 1 });
WebhookDeliverySchema.index({ endpointId: 1, createdAt: -1 });
WebhookDeliverySchema.index({ key: 1 }, { unique: true, sparse: true });
