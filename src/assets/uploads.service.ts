import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { pipeline } from 'node:stream';
import { DomainException, invalidInput, notFound } from '../common/errors/domain.exception';
import { Clock } from '../common/time/clock';
import { assetsConfig, AssetsConfig } from '../config/configuration';
import { UsersService } from '../users/users.service';
import { toAssetDto, StoredAsset } from './asset.mapper';
import { Asset } from './asset.schema';
import {
  directUploadUnavailable,
  fileTooLarge,
  storageUnavailable,
  unsupportedFileType,
} from './assets.errors';
import { AssetsService } from './assets.service';
import { AssetDto } from './dto/asset.dto';
import { DirectUploadDto } from './dto/direct-upload.dto';
import { sanitizeFileName } from './files/file-name';
import { ACCEPTED_TYPES, AcceptedMimeType, detectType, SNIFF_BYTES } from './files/file-type';
import { peek, UploadMeter } from './files/upload-meter';
import { AssetStorage } from './storage/asset-storage';
import { folderOf } from './storage/cloudinary-storage';
import { IncomingFile } from './upload/multipart-file';

const badUpload = () =>
  invalidInput([{ field: 'file', message: 'was cut short or is malformed' }], 'The upload failed.');

/**
 * Puts files into storage without letting record and file drift: the record is written as
 * `pending` before the first byte goes out and made `ready` only after the whole file is stored
 * and checked. Any failure removes the file, then the record; if even that fails (storage down,
 * a crash), the pending record remains and the purge job removes both later.
 */
@Injectable()
export class UploadsService {
  private readonly logger = new Logger('Uploads');

  constructor(
    @InjectModel(Asset.name) private readonly model: Model<Asset>,
    @Inject(assetsConfig.KEY) private readonly config: AssetsConfig,
    private readonly storage: AssetStorage,
    private readonly assets: AssetsService,
    private readonly users: UsersService,
    private readonly clock: Clock,
  ) {}

  /**
   * Streams one file into the owner's storage. The type comes from the first bytes (415 before
   * anything is stored); the size is counted on the way (413 the moment it passes the limit).
   */
  async upload(
    ownerId: string,
    incoming: IncomingFile,
    options: { imagesOnly?: boolean } = {},
  ): Promise<AssetDto> {
    let sourceFailed = false;
    incoming.stream.once('error', () => (sourceFailed = true));
    const { head, stream } = await peek(incoming.stream, SNIFF_BYTES).catch(() => {
      throw badUpload();
    });
    const type = await detectType(head);
    if (!type || (options.imagesOnly && !type.image)) {
      incoming.stream.destroy();
      throw unsupportedFileType(options.imagesOnly);
    }
    const now = this.clock.now();
    const id = new Types.ObjectId();
    const record = await this.model.create({
      _id: id,
      ownerId: new Types.ObjectId(ownerId),
      status: 'pending',
      storage: this.storage.kind,
      key: this.storage.keyFor(ownerId, String(id), type),
      fileName: sanitizeFileName(incoming.fileName, type.ext),
      mimeType: type.mimeType,
      createdAt: now,
      updatedAt: now,
    });
    const meter = new UploadMeter(this.config.maxBytes, type);
    // A broken rule stops the request body at once: busboy would otherwise read (and drop) the
    // rest of the file before anything answers.
    meter.once('error', () => incoming.stream.destroy());
    try {
      const stored = await this.storage.put(
        record.key,
        pipeline(stream, meter, () => undefined),
        type,
      );
      await incoming.finish();
      const ready = await this.markReady(id, {
        url: stored.url,
        bytes: meter.bytes,
        ...meter.dimensions,
      });
      await this.assertOwnerRemains(ownerId, ready);
      return ready;
    } catch (error) {
      // Still pending, or taken away meanwhile (the owner's assets were deleted)?
      const taken = !(await this.model.exists({ _id: id, status: 'pending' }).catch(() => true));
      await this.assets.discard([record]).catch(() => undefined); // else the purge job will
      if (error instanceof DomainException) throw error;
      if (sourceFailed) throw badUpload();
      if (taken) throw notFound('The upload');
      this.logger.error({ err: error }, 'could not store an upload');
      throw storageUnavailable();
    }
  }

  /**
   * Signed parameters for one browser upload straight to Cloudinary, to a public id in the
   * caller's folder. The pending record written now is what lets the purge job remove the file
   * if the upload is never completed.
   */
  async createDirectUpload(ownerId: string): Promise<DirectUploadDto> {
    if (!this.storage.directUploadTicket) throw directUploadUnavailable();
    const now = this.clock.now();
    const id = new Types.ObjectId();
    const key = `${folderOf(ownerId)}/${String(id)}`;
    const formats = Object.values(ACCEPTED_TYPES);
    const ticket = this.storage.directUploadTicket(key, formats);
    await this.model.create({
      _id: id,
      ownerId: new Types.ObjectId(ownerId),
      status: 'pending',
      storage: this.storage.kind,
      key,
      fileName: 'upload',
      mimeType: 'application/octet-stream',
      direct: true,
      createdAt: now,
      updatedAt: now,
    });
    return {
      uploadUrl: ticket.uploadUrl,
      fields: ticket.fields,
      publicId: key,
      folder: folderOf(ownerId),
      cloudName: this.config.cloudinary?.cloudName ?? '',
      apiKey: this.config.cloudinary?.apiKey ?? '',
      allowedFormats: formats,
      maxBytes: this.config.maxBytes,
      expiresAt: ticket.expiresAt.toISOString(),
    };
  }

  /**
   * After the browser's upload: asks Cloudinary what it holds under the public id, and records it
   * if it is the caller's, of an accepted type and within the size limit. Otherwise the file is
   * deleted with its record, and the answer says why (413, 415).
   */
  async completeDirectUpload(ownerId: string, publicId: string): Promise<AssetDto> {
    if (!this.storage.describe) throw directUploadUnavailable();
    const record = await this.model
      .findOne({
        key: publicId,
        ownerId: new Types.ObjectId(ownerId),
        status: 'pending',
        direct: true,
      })
      .lean<StoredAsset>();
    if (!record || !publicId.startsWith(`${folderOf(ownerId)}/`)) throw notFound('The upload');
    const found = await this.storage.describe(publicId).catch((err: unknown) => {
      this.logger.error({ err }, 'could not look up a direct upload');
      throw storageUnavailable();
    });
    if (!found || found.key !== publicId) throw notFound('The upload');
    const entry = Object.entries(ACCEPTED_TYPES).find(([, ext]) => ext === found.format);
    const refusal = !entry
      ? unsupportedFileType()
      : found.bytes > this.config.maxBytes
        ? fileTooLarge(this.config.maxBytes)
        : undefined;
    if (refusal) {
      await this.assets.discard([record]);
      throw refusal;
    }
    const [mimeType, ext] = entry as [AcceptedMimeType, string];
    await this.model.updateOne(
      { _id: record._id, status: 'pending' },
      { $set: { mimeType, fileName: sanitizeFileName(found.originalFilename, ext) } },
    );
    return this.markReady(record._id, {
      url: found.url,
      bytes: found.bytes,
      ...(found.width ? { width: found.width } : {}),
      ...(found.height ? { height: found.height } : {}),
    });
  }

  /**
   * An account deletion removes the owner's assets before the user; an upload that became ready
   * after that pass (it started before the deletion) would outlive its owner, so it checks: an
   * owner gone or disabled (a deletion disables first) takes the new asset with it.
   */
  private async assertOwnerRemains(ownerId: string, asset: AssetDto): Promise<void> {
    const owner = await this.users.findById(ownerId);
    if (owner && owner.status !== 'disabled') return;
    await this.assets.delete(asset.id).catch(() => undefined); // else deleteAllOf or the job
    throw notFound('The user');
  }

  /** pending → ready, only if still pending (the purge job or a user deletion may have won). */
  private async markReady(
    id: Types.ObjectId,
    fields: { url: string; bytes: number; width?: number; height?: number },
  ): Promise<AssetDto> {
    const ready = await this.model
      .findOneAndUpdate(
        { _id: id, status: 'pending' },
        { $set: { ...fields, status: 'ready', updatedAt: this.clock.now() } },
        { new: true },
      )
      .lean<StoredAsset>();
    if (!ready) throw notFound('The upload');
    return toAssetDto(ready);
  }
}
