import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

/** What a browser needs to upload one file straight to Cloudinary. */
export class DirectUploadDto {
  /** POST the file here as multipart, with every entry of `fields` and the file as `file`. */
  @ApiProperty({ example: 'https://api.cloudinary.com/v1_1/demo/image/upload' })
  uploadUrl!: string;
  /** Signed form fields (api_key, timestamp, public_id, allowed_formats, overwrite, signature), sent as they are. */
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: {
      api_key: '123456789012345',
      timestamp: '1718000000',
      public_id: 'users/665f1c2e8b3c4a0012345678/665f1c2e8b3c4a0012345679',
      allowed_formats: 'jpg,png,webp,gif,pdf',
      overwrite: 'false',
      signature: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3',
    },
  })
  fields!: Record<string, string>;
  /** The public id the file will have: send it to /assets/uploads/complete afterwards. */
  @ApiProperty({ example: 'users/665f1c2e8b3c4a0012345678/665f1c2e8b3c4a0012345679' })
  publicId!: string;
  /** The caller's folder; the signed public id lies in it. */
  @ApiProperty({ example: 'users/665f1c2e8b3c4a0012345678' })
  folder!: string;
  @ApiProperty({ example: 'demo' })
  cloudName!: string;
  @ApiProperty({ example: '123456789012345' })
  apiKey!: string;
  @ApiProperty({ example: ['jpg', 'png', 'webp', 'gif', 'pdf'] })
  allowedFormats!: string[];
  /** Larger files are refused (and deleted) at completion. */
  @ApiProperty({ type: 'integer', example: 5242880 })
  maxBytes!: number;
  /** After this the signature is refused; ask for a new one. */
  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;
}

export class CompleteDirectUploadDto {
  /** The `publicId` that `POST /assets/uploads` handed out. */
  @IsString()
  @MaxLength(255)
  @Matches(/^users\/[0-9a-f]{24}\/[0-9a-f]{24}$/, { message: 'must be a public id handed out' })
  @ApiProperty({
    pattern: '^users/[0-9a-f]{24}/[0-9a-f]{24}$',
    example: 'users/665f1c2e8b3c4a0012345678/665f1c2e8b3c4a0012345679',
  })
  publicId!: string;
}
