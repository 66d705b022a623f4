import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** Who may run a scheduled job now: one document per job, shared by every instance. */
@Schema({ collection: 'job_leases', versionKey: false })
export class JobLease {
  /** The job's name. */
  @Prop({ required: true })
  _id!: string;

  /** The instance that took it last (see INSTANCE_ID). */
  @Prop({ required: true })
  holder!: string;

  @Prop({ required: true })
  takenAt!: Date;

  /** Until then nobody else may take it; a crashed holder's lease simply runs out. */
  @Prop({ required: true })
  until!: Date;
}

export const JobLeaseSchema = SchemaFactory.createForClass(JobLease);
