import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, Types } from 'mongoose';

/**
 * `pending`: written before the bytes go to storage (or before a direct upload is allowed);
 * `ready`: the stored file is complete and checked; `deleting`: the file is on its way out.
 * Only `ready` assets are ever shown. A record stuck in `pending` or `deleting` is finished by
 * the purge job, which removes the file and then the record: no stored file is ever without a
 * record, so nothing can leak in storage.
 */
export const ASSET_STATUSES = ['pending', 'ready', 'deleting'] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];

@Schema({ collection: 'assets', versionKey: false })
export class Asset {
  @Prop({ type: MongooseSchema.Types.ObjectId, required: true })
  ownerId!: Types.ObjectId;

  @Prop({ required: true, enum: ASSET_STATUSES })
  status!: AssetStatus;

  /** Which storage holds the file: `local` or `cloudinary`. */
  @Prop({ required: true })
  storage!: string;

  /** The storage's own id: a relative path for `local`, the public id for Cloudinary. */
  @Prop({ required: true })
  key!: string;

  /** Set once ready: where clients fetch the file. */
  @Prop()
  url?: string;

  /** Sanitised; for display and Content-Disposition only. */
  @Prop({ required: true })
  fileName!: string;

  @Prop({ required: true })
  mimeType!: string;

  @Prop()
  bytes?: number;

  @Prop()
  width?: number;

  @Prop()
  height?: number;

  /** True for a direct browser upload still waiting for its completion call. */
  @Prop()
  direct?: boolean;

  @Prop({ required: true })
  createdAt!: Date;

  /** When the status last changed: a pending or deleting record older than the limit is stale. */
  @Prop({ required: true })
  updatedAt!: Date;
}

export const AssetSchema = SchemaFactory.createForClass(Asset);
AssetSchema.index({ ownerId: 1, status: 1, createdAt: -1 });
AssetSchema.index({ status: 1, createdAt: -1 });
AssetSchema.index({ key: 1 }, { unique: true });
AssetSchema.index({ status: 1, updatedAt: 1 });
