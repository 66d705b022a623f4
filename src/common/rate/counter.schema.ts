import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** A counter over a time window, with an optional lock; shared by every instance through MongoDB. */
@Schema({ collection: 'counters', versionKey: false })
export class Counter {
  @Prop({ required: true })
  _id!: string;

  @Prop({ required: true, default: 0 })
  count!: number;

  @Prop({ required: true })
  windowStart!: Date;

  /** When the window ends; also what the purge job (and a TTL index in production) goes by. */
  @Prop({ required: true })
  expiresAt!: Date;

  @Prop()
  lockedUntil?: Date;
}

export const CounterSchema = SchemaFactory.createForClass(Counter);
CounterSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 86_400 });
