import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';

/** Append-only record of a significant action. */
@Schema({ collection: 'audit_logs', versionKey: false })
export class AuditLog {
  @Prop({ required: true })
  at!: Date;

  @Prop()
  actorId?: string;

  @Prop({ required: true })
  action!: string;

  @Prop()
  targetType?: string;

  @Prop()
  targetId?: string;

  @Prop()
  ip?: string;

  @Prop()
  userAgent?: string;

  @Prop({ required: true, enum: ['success', 'failure'] })
  outcome!: 'success' | 'failure';

  @Prop({ type: MongooseSchema.Types.Mixed })
  details?: Record<string, unknown>;
}

export const AuditLogSchema = SchemaFactory.createForClass(AuditLog);
// Newest first, alone or under one filter: every index ends in (at, _id), the sort order.
AuditLogSchema.index({ at: -1, _id: -1 });
AuditLogSchema.index({ actorId: 1, at: -1, _id: -1 });
AuditLogSchema.index({ targetId: 1, at: -1, _id: -1 });
AuditLogSchema.index({ action: 1, at: -1, _id: -1 });
