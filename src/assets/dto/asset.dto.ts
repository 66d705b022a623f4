import { ApiProperty } from '@nestjs/swagger';
import { ACCEPTED_TYPES } from '../files/file-type';

/** A stored file as clients see it. */
export class AssetDto {
  @ApiProperty({ example: '665f1c2e8b3c4a0012345679' })
  id!: string;
  @ApiProperty({ example: '665f1c2e8b3c4a0012345678' })
  ownerId!: string;
  /** Where to fetch the file: Cloudinary's secure URL, or a path on this server for the local store. */
  @ApiProperty({ example: '/files/665f1c2e8b3c4a0012345678/665f1c2e8b3c4a0012345679.png' })
  url!: string;
  /** The storage's own id for the file (a Cloudinary public id, or the local store's path). */
  @ApiProperty({ example: '665f1c2e8b3c4a0012345678/665f1c2e8b3c4a0012345679.png' })
  publicId!: string;
  /** The uploaded file's name, made safe (no path, no control characters, the true extension). */
  @ApiProperty({ example: 'holiday.png' })
  fileName!: string;
  /** Decided from the file's bytes, never from what the client said. */
  @ApiProperty({ enum: Object.keys(ACCEPTED_TYPES) })
  mimeType!: string;
  @ApiProperty({ type: 'integer', example: 48213 })
  bytes!: number;
  /** Images only. */
  @ApiProperty({ type: 'integer', required: false, example: 640 })
  width?: number;
  /** Images only. */
  @ApiProperty({ type: 'integer', required: false, example: 480 })
  height?: number;
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

/** The multipart body of an upload: one part, `file`. */
export class AssetUploadDto {
  @ApiProperty({ type: 'string', format: 'binary' })
  file!: unknown;
}

/** The multipart body of an avatar upload: one part, `avatar`, an image. */
export class AvatarUploadDto {
  @ApiProperty({ type: 'string', format: 'binary' })
  avatar!: unknown;
}
