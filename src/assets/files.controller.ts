import { Controller, Get, Param, Res, StreamableFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/decorators/public.decorator';
import { notFound } from '../common/errors/domain.exception';
import { AssetsService } from './assets.service';
import { attachmentDisposition } from './files/file-name';
import { AssetStorage } from './storage/asset-storage';

const OWNER = /^[0-9a-f]{24}$/;
const NAME = /^[0-9a-f]{24}\.(jpg|png|webp|gif|pdf)$/;

/**
 * The local store's files, read-only, at `/files/<ownerId>/<assetId>.<ext>` (outside the API
 * prefix; public like Cloudinary's URLs, so an avatar can be an `<img>` anywhere). Only ids fit
 * the two path segments, so no path can leave ASSET_DIR; only ready assets are served, with the
 * type their bytes were found to be, `nosniff`, a sandboxing CSP, and as an attachment unless
 * they are images. With Cloudinary every path here is 404.
 */
@ApiExcludeController()
@Public()
@Controller('files')
export class FilesController {
  constructor(
    private readonly assets: AssetsService,
    private readonly storage: AssetStorage,
  ) {}

  @Get(':ownerId/:name')
  async serveFile(
    @Param('ownerId') ownerId: string,
    @Param('name') name: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const key = `${ownerId}/${name}`;
    const asset =
      OWNER.test(ownerId) && NAME.test(name) ? await this.assets.findByKey(key) : undefined;
    const file = asset && (await this.storage.open(key));
    if (!asset || !file) throw notFound('The file');
    void reply.headers({
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cross-origin-resource-policy': 'cross-origin',
      'cache-control': 'private, max-age=300',
    });
    return new StreamableFile(file.stream, {
      type: asset.mimeType,
      length: file.bytes,
      disposition: asset.mimeType.startsWith('image/')
        ? undefined
        : attachmentDisposition(asset.fileName),
    });
  }
}
