import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/**
 * The last state of a user that reached the outbox (or that the sweeper checked): the user's
 * `updatedAt` then (`version`) and what webhooks show of them (`state`). A user written later
 * than their mark had a change whose event may have been lost; the difference between `state`
 * and the user now says which event it was.
 */
@Schema({ collection: 'webhook_user_marks', versionKey: false })
export class WebhookUserMark {
  /** The user's id. */
  _id!: Types.ObjectId;

  @Prop({ required: true })
  version!: Date;

  @Prop({ type: Object, required: true })
  state!: Record<string, unknown>;
}

export const WebhookUserMarkSchema = SchemaFactory.createForClass(WebhookUserMark);
