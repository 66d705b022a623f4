import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ALL_PERMISSIONS, Permission } from './permissions';

/** A custom role; the built-in ones live in permissions.ts, not here. */
@Schema({ collection: 'roles', timestamps: true, versionKey: false })
export class Role {
  @Prop({ required: true, unique: true })
  name!: string;

  @Prop({ type: [String], enum: ALL_PERMISSIONS, default: [] })
  permissions!: Permission[];

  createdAt!: Date;
  updatedAt!: Date;
}

export const RoleSchema = SchemaFactory.createForClass(Role);
