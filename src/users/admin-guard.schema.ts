import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * The one lock of the last-admin rule: whoever holds it may take an account out of the active
 * admins (see `AdminGuard`). One document, shared by every instance.
 */
@Schema({ collection: 'admin_guard', versionKey: false })
export class AdminGuardLock {
  @Prop({ required: true })
  _id!: string;

  /** A token of the one change that holds it. */
  @Prop({ required: true })
  holder!: string;

  /** Until then nobody else may take it; a crashed holder's lock simply runs out. */
  @Prop({ required: true })
  until!: Date;
}

export const AdminGuardLockSchema = SchemaFactory.createForClass(AdminGuardLock);
