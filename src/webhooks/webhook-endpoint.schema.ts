import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/** One signing secret: encrypted at rest; a rotated-out one signs until `expiresAt`. */
@Schema({ _id: false, versionKey: false })
export class WebhookSecret {
  /** `whsec_…`, AES-GCM encrypted under TOTP_ENCRYPTION_KEY (it signs, so it cannot be hashed). */
  @Prop({ required: true })
  value!: string;

  @Prop({ required: true })
  createdAt!: Date;

  /** Set when a newer secret replaced it; past this it no longer signs. */
  @Prop()
  expiresAt?: Date;
}

const WebhookSecretSchema = SchemaFactory.createForClass(WebhookSecret);

/** Where an admin asked to be told of events, and with which secret(s) to sign. */
@Schema({ collection: 'webhook_endpoints', versionKey: false })
export class WebhookEndpoint {
  _id!: Types.ObjectId;

  @Prop({ required: true })
  url!: string;

  /** Event types, or `*` for all. */
  @Prop({ type: [String], required: true })
  events!: string[];

  @Prop({ default: '' })
  description!: string;

  @Prop({ required: true, default: true })
  enabled!: boolean;

  /** Why the sender turned it off (`gone`, `failing`); unset when an admin did or it is on. */
  @Prop()
  disabledReason?: string;

  /** Newest first; `select: false` so no query returns them unless it asks. */
  @Prop({ type: [WebhookSecretSchema], required: true, select: false })
  secrets!: WebhookSecret[];

  @Prop({ required: true })
  createdAt!: Date;

  @Prop()
  createdBy?: string;

  @Prop()
  secretRotatedAt?: Date;
}

export const WebhookEndpointSchema = SchemaFactory.createForClass(WebhookEndpoint);
WebhookEndpointSchema.index({ enabled: 1 });
