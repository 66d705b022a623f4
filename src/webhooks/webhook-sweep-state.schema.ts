import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * How far the webhook sweeper has looked: every user written at or before `watermark` was checked
 * against their mark, so the next sweep reads only users written after it. One document per
 * sweep (`_id` names it); it only ever moves forward (a conditional update), so an instance with
 * an older view cannot undo another's progress.
 */
@Schema({ collection: 'webhook_sweep_state', versionKey: false })
export class WebhookSweepState {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  watermark!: Date;
}

export const WebhookSweepStateSchema = SchemaFactory.createForClass(WebhookSweepState);
