import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuthUser, CurrentUser } from '../common/decorators/current-user.decorator';
import { Page, PaginationQueryDto } from '../common/dto/pagination.dto';
import { DomainEvents, RequestOrigin } from '../common/events/domain-event';
import { ApiPage } from '../common/http/api-page.decorator';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { AcceptsMultipart } from '../common/http/multipart';
import { Origin } from '../common/http/request-origin';
import { ParseObjectIdPipe } from '../common/pipes/parse-object-id.pipe';
import { Authenticated } from '../rbac/authenticated.decorator';
import { emitAssetEvent } from './asset-events';
import { AssetsService } from './assets.service';
import { AssetDto, AssetUploadDto } from './dto/asset.dto';
import { CompleteDirectUploadDto, DirectUploadDto } from './dto/direct-upload.dto';
import { readFilePart } from './upload/multipart-file';
import { UploadsService } from './uploads.service';

@ApiTags('assets')
@Authenticated()
@Controller('assets')
export class AssetsController {
  constructor(
    private readonly assets: AssetsService,
    private readonly uploads: UploadsService,
    private readonly events: DomainEvents,
  ) {}

  /**
   * Uploads one file (multipart, part `file`): jpeg, png, webp, gif or pdf, decided from its
   * bytes. Over ASSET_MAX_BYTES: 413 as soon as the limit is passed.
   */
  @Post()
  @AcceptsMultipart()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: AssetUploadDto })
  @ApiProblems(413, 503)
  async uploadAsset(
    @CurrentUser() user: AuthUser,
    @Req() request: FastifyRequest,
    @Origin() origin: RequestOrigin,
  ): Promise<AssetDto> {
    const asset = await this.uploads.upload(user.id, await readFilePart(request, 'file'));
    emitAssetEvent(this.events, 'assets.uploaded', user.id, asset, origin);
    return asset;
  }

  /** The caller's assets, newest first. */
  @Get()
  @ApiPage(AssetDto)
  listAssets(
    @CurrentUser() user: AuthUser,
    @Query() query: PaginationQueryDto,
  ): Promise<Page<AssetDto>> {
    return this.assets.list(user.id, query);
  }

  /**
   * Signed parameters to upload one file from the browser straight to Cloudinary; then call
   * `POST /assets/uploads/complete`. 409 `direct_upload_unavailable` with the local store.
   */
  @Post('uploads')
  @ApiProblems(409)
  createDirectUpload(@CurrentUser() user: AuthUser): Promise<DirectUploadDto> {
    return this.uploads.createDirectUpload(user.id);
  }

  /**
   * Records a file the browser uploaded to Cloudinary, once Cloudinary confirms it is the
   * caller's, of an accepted type and within the limit; otherwise deletes it (413, 415).
   */
  @Post('uploads/complete')
  @ApiProblems(404, 409, 413, 503)
  async completeDirectUpload(
    @CurrentUser() user: AuthUser,
    @Body() dto: CompleteDirectUploadDto,
    @Origin() origin: RequestOrigin,
  ): Promise<AssetDto> {
    const asset = await this.uploads.completeDirectUpload(user.id, dto.publicId);
    emitAssetEvent(this.events, 'assets.uploaded', user.id, asset, origin, { direct: true });
    return asset;
  }

  /** One of the caller's assets; another user's is 404. */
  @Get(':id')
  @ApiProblems(404)
  getAsset(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
  ): Promise<AssetDto> {
    return this.assets.get(id, user.id);
  }

  /** Deletes one of the caller's assets, from storage too. */
  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(404, 503)
  async deleteAsset(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Origin() origin: RequestOrigin,
  ): Promise<void> {
    const asset = await this.assets.delete(id, user.id);
    emitAssetEvent(this.events, 'assets.deleted', user.id, asset, origin);
  }
}
