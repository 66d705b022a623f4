import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model, Types } from 'mongoose';
import { Page, PaginationQueryDto } from '../common/dto/pagination.dto';
import { DomainException, notFound } from '../common/errors/domain.exception';
import { Clock } from '../common/time/clock';
import { UserDirectory } from '../users/user-directory.service';
import { UsersService } from '../users/users.service';
import { toAssetDto, StoredAsset } from './asset.mapper';
import { Asset } from './asset.schema';
import { storageUnavailable } from './assets.errors';
import { AdminAssetDto } from './dto/admin-assets.dto';
import { AssetDto } from './dto/asset.dto';
import { AssetStorage } from './storage/asset-storage';

/** A pending record this old is an upload that died (direct-upload signatures live an hour). */
export const PENDING_STALE_MS = 2 * 3_600_000;
/** A deleting record this old is a deletion that stopped half-way. */
export const DELETING_STALE_MS = 10 * 60_000;
/** How many stale records one purge run finishes; the next run takes the rest. */
const PURGE_BATCH = 500;

/**
 * Owns the assets collection. Every removal goes the same way: the record is marked `deleting`
 * (hidden at once, and claimed: of concurrent deletions one wins), then the file is removed, then
 * the record. A failure between the steps leaves a `deleting` record, which the purge job
 * finishes; so a record never points at a missing file, and no file outlives its record.
 */
@Injectable()
export class AssetsService {
  private readonly logger = new Logger('Assets');

  constructor(
    @InjectModel(Asset.name) private readonly model: Model<Asset>,
    private readonly storage: AssetStorage,
    private readonly users: UsersService,
    private readonly directory: UserDirectory,
    private readonly clock: Clock,
  ) {}

  /** Ready assets, newest first; all of them, or one owner's. */
  async list(ownerId: string | undefined, query: PaginationQueryDto): Promise<Page<AssetDto>> {
    const filter: FilterQuery<Asset> = { status: 'ready' };
    if (ownerId) filter.ownerId = new Types.ObjectId(ownerId);
    const [items, total] = await Promise.all([
      this.model
        .find(filter)
        .sort({ createdAt: -1, _id: -1 })
        .skip((query.page - 1) * query.limit)
        .limit(query.limit)
        .lean<StoredAsset[]>(),
      this.model.countDocuments(filter),
    ]);
    return { items: items.map(toAssetDto), total, page: query.page, limit: query.limit };
  }

  /** The admin's list: a page as `list` gives it, each asset with its owner's summary (one query). */
  async listWithOwners(
    ownerId: string | undefined,
    query: PaginationQueryDto,
  ): Promise<Page<AdminAssetDto>> {
    const page = await this.list(ownerId, query);
    const owners = await this.directory.summaries(page.items.map((asset) => asset.ownerId));
    const items = page.items.map((asset) => {
      const owner = owners.get(asset.ownerId);
      return owner ? { ...asset, owner } : asset;
    });
    return { ...page, items };
  }

  /** One ready asset; another owner's is not found, exactly like a missing one. */
  async get(id: string, ownerId?: string): Promise<AssetDto> {
    const asset = await this.model.findOne(this.readyFilter(id, ownerId)).lean<StoredAsset>();
    if (!asset) throw notFound('The asset');
    return toAssetDto(asset);
  }

  /** A ready asset by its storage key: what the local store's file route may serve. */
  async findByKey(key: string): Promise<AssetDto | undefined> {
    const asset = await this.model.findOne({ key, status: 'ready' }).lean<StoredAsset>();
    return asset ? toAssetDto(asset) : undefined;
  }

  /** Deletes one asset (the owner's own when `ownerId` is given), file first. 404 when none. */
  async delete(id: string, ownerId?: string): Promise<AssetDto> {
    const claimed = await this.model
      .findOneAndUpdate(
        this.readyFilter(id, ownerId),
        { $set: { status: 'deleting', updatedAt: this.clock.now() } },
        { new: true },
      )
      .lean<StoredAsset>();
    if (!claimed) throw notFound('The asset');
    await this.forgetAvatar(claimed);
    await this.discard([claimed]);
    return toAssetDto(claimed);
  }

  /** The owner's asset behind a URL, if it is one (an avatar being replaced). */
  async deleteByUrl(ownerId: string, url: string): Promise<AssetDto | undefined> {
    const asset = await this.model
      .findOne({ ownerId: new Types.ObjectId(ownerId), url, status: 'ready' }, { _id: 1 })
      .lean();
    if (!asset) return undefined;
    return this.delete(String(asset._id), ownerId).catch((error: unknown) => {
      // Deleted meanwhile by someone else: nothing left to do.
      if (error instanceof DomainException && error.code === 'not_found') return undefined;
      throw error;
    });
  }

  /** Deletes up to 100 assets in one storage call; says which ids named nothing. */
  async deleteMany(ids: string[]): Promise<{ deleted: string[]; notFound: string[] }> {
    const unique = [...new Set(ids)];
    const objectIds = unique.map((id) => new Types.ObjectId(id));
    await this.model.updateMany(
      { _id: { $in: objectIds }, status: 'ready' },
      { $set: { status: 'deleting', updatedAt: this.clock.now() } },
    );
    const claimed = await this.model
      .find({ _id: { $in: objectIds }, status: 'deleting' })
      .lean<StoredAsset[]>();
    for (const asset of claimed) await this.forgetAvatar(asset);
    await this.discard(claimed);
    const deleted = new Set(claimed.map((asset) => String(asset._id)));
    return {
      deleted: unique.filter((id) => deleted.has(id)),
      notFound: unique.filter((id) => !deleted.has(id)),
    };
  }

  /**
   * Every asset of a user, in storage too, whatever state it is in (an upload in flight finds its
   * record gone and discards its own file). Idempotent: a purge job may call it again.
   */
  async deleteAllOf(userId: string): Promise<number> {
    const ownerId = new Types.ObjectId(userId);
    await this.model.updateMany(
      { ownerId, status: { $ne: 'deleting' } },
      { $set: { status: 'deleting', updatedAt: this.clock.now() } },
    );
    const claimed = await this.model.find({ ownerId }).lean<StoredAsset[]>();
    await this.discard(claimed);
    return claimed.length;
  }

  /** How many ready assets there are, and their bytes, in one aggregation (for /admin/stats). */
  async totals(): Promise<{ total: number; bytes: number }> {
    const [sum] = await this.model.aggregate<{ total: number; bytes: number }>([
      { $match: { status: 'ready' } },
      { $group: { _id: null, total: { $sum: 1 }, bytes: { $sum: '$bytes' } } },
    ]);
    return { total: sum?.total ?? 0, bytes: sum?.bytes ?? 0 };
  }

  /**
   * Finishes what stopped half-way: pending records of uploads that died, deleting records of
   * deletions that did. Pending ones are claimed first (pending → deleting), so an upload that
   * completes just now cannot be marked ready after its file went. Returns how many went.
   */
  async purgeStale(): Promise<number> {
    const now = this.clock.now();
    const stale = await this.model
      .find(
        {
          $or: [
            { status: 'pending', updatedAt: { $lt: new Date(now.getTime() - PENDING_STALE_MS) } },
            { status: 'deleting', updatedAt: { $lt: new Date(now.getTime() - DELETING_STALE_MS) } },
          ],
        },
        { _id: 1 },
      )
      .limit(PURGE_BATCH)
      .lean();
    if (stale.length === 0) return 0;
    const ids = stale.map((asset) => asset._id);
    await this.model.updateMany(
      { _id: { $in: ids }, status: 'pending' },
      { $set: { status: 'deleting', updatedAt: now } },
    );
    const claimed = await this.model
      .find({ _id: { $in: ids }, status: 'deleting' })
      .lean<StoredAsset[]>();
    await this.discard(claimed);
    return claimed.length;
  }

  /**
   * Removes the files, then the records. If storage fails, the records stay (`deleting`, or
   * `pending`) for the purge job to retry, and the caller gets 503.
   */
  async discard(assets: Pick<StoredAsset, '_id' | 'key'>[]): Promise<void> {
    if (assets.length === 0) return;
    try {
      if (assets.length === 1) await this.storage.remove(assets[0].key);
      else await this.storage.removeMany(assets.map((asset) => asset.key));
    } catch (err) {
      this.logger.error({ err, count: assets.length }, 'could not remove files from storage');
      throw storageUnavailable();
    }
    await this.model.deleteMany({ _id: { $in: assets.map((asset) => asset._id) } });
  }

  /** A deleted asset that was its owner's avatar stops being it, before its file goes. */
  private async forgetAvatar(asset: StoredAsset): Promise<void> {
    if (!asset.url || !asset.mimeType.startsWith('image/')) return;
    const owner = await this.users.findById(String(asset.ownerId));
    if (owner?.avatarUrl === asset.url) await this.users.setAvatar(owner.id, null);
  }

  private readyFilter(id: string, ownerId?: string): FilterQuery<Asset> {
    return {
      _id: new Types.ObjectId(id),
      status: 'ready',
      ...(ownerId ? { ownerId: new Types.ObjectId(ownerId) } : {}),
    };
  }
}
