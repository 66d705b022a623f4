import { Types } from 'mongoose';
import { Asset } from './asset.schema';
import { AssetDto } from './dto/asset.dto';

export type StoredAsset = Asset & { _id: Types.ObjectId };

/** The only way an asset leaves the feature: an explicit list of public fields. */
export function toAssetDto(asset: StoredAsset): AssetDto {
  return {
    id: String(asset._id),
    ownerId: String(asset.ownerId),
    url: asset.url ?? '',
    publicId: asset.key,
    fileName: asset.fileName,
    mimeType: asset.mimeType,
    bytes: asset.bytes ?? 0,
    ...(asset.width ? { width: asset.width } : {}),
    ...(asset.height ? { height: asset.height } : {}),
    createdAt: asset.createdAt.toISOString(),
  };
}
