import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, Matches } from 'class-validator';
import { Optional } from '../../common/dto/fields';
import { PaginationQueryDto } from '../../common/dto/pagination.dto';
import { UserSummaryDto } from '../../users/dto/user-summary.dto';
import { AssetDto } from './asset.dto';

const OBJECT_ID = /^[0-9a-f]{24}$/;

export class AdminAssetsQueryDto extends PaginationQueryDto {
  /** Only this user's assets. */
  @Optional()
  @Matches(OBJECT_ID, { message: 'must be an id' })
  @ApiProperty({ required: false, pattern: OBJECT_ID.source })
  ownerId?: string;
}

export class BulkDeleteAssetsDto {
  /** Up to 100 asset ids; repeated ids count once. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @Matches(OBJECT_ID, { each: true, message: 'must hold asset ids' })
  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: 100,
    items: { type: 'string', pattern: OBJECT_ID.source },
  })
  ids!: string[];
}

export class BulkDeleteResultDto {
  /** The ids that were deleted (their files too). */
  deleted!: string[];
  /** The ids that named no asset. */
  notFound!: string[];
}

/** An asset as the admin list shows it: with its owner's email and name. */
export class AdminAssetDto extends AssetDto {
  /** Absent when the owner's account is gone (its files are being purged). */
  owner?: UserSummaryDto;
}
