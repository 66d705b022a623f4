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
} from '@nestjs/common';
import { ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../common/decorators/current-user.decorator';
import { DomainEvents, RequestOrigin } from '../common/events/domain-event';
import { Page } from '../common/dto/pagination.dto';
import { ApiPage } from '../common/http/api-page.decorator';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { Origin } from '../common/http/request-origin';
import { ParseObjectIdPipe } from '../common/pipes/parse-object-id.pipe';
import { RequirePermissions } from '../rbac/authenticated.decorator';
import { Permission } from '../rbac/permissions';
import { AssetsService } from './assets.service';
import {
  AdminAssetDto,
  AdminAssetsQueryDto,
  BulkDeleteAssetsDto,
  BulkDeleteResultDto,
} from './dto/admin-assets.dto';

@ApiTags('admin')
@Controller('admin/assets')
export class AdminAssetsController {
  constructor(
    private readonly assets: AssetsService,
    private readonly events: DomainEvents,
  ) {}

  /**
   * Every user's assets, newest first, or one owner's (`ownerId`); each with its
   * `owner`'s email and name when the caller also holds `users:read`.
   */
  @Get()
  @RequirePermissions(Permission.AssetsRead)
  @ApiPage(AdminAssetDto)
  listAllAssets(
    @Query() query: AdminAssetsQueryDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<Page<AdminAssetDto>> {
    if (!caller.permissions?.includes(Permission.UsersRead))
      return this.assets.list(query.ownerId, query);
    return this.assets.listWithOwners(query.ownerId, query);
  }

  /** Deletes any asset, from storage too. */
  @Delete(':id')
  @RequirePermissions(Permission.AssetsDelete)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(404, 503)
  async deleteAnyAsset(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Origin() origin: RequestOrigin,
  ): Promise<void> {
    const asset = await this.assets.delete(id);
    this.events.emit('assets.deleted_by_admin', {
      actorId: admin.id,
      targetType: 'asset',
      targetId: asset.id,
      ...origin,
      outcome: 'success',
      details: { ownerId: asset.ownerId, mimeType: asset.mimeType, bytes: asset.bytes },
    });
  }

  /** Deletes up to 100 assets at once; ids that name nothing are listed in `notFound`. */
  @Post('bulk-delete')
  @RequirePermissions(Permission.AssetsDelete)
  @HttpCode(HttpStatus.OK)
  @ApiProblems(503)
  async bulkDeleteAssets(
    @CurrentUser() admin: AuthUser,
    @Body() dto: BulkDeleteAssetsDto,
    @Origin() origin: RequestOrigin,
  ): Promise<BulkDeleteResultDto> {
    const result = await this.assets.deleteMany(dto.ids);
    this.events.emit('assets.bulk_deleted', {
      actorId: admin.id,
      targetType: 'asset',
      ...origin,
      outcome: 'success',
      details: { deleted: result.deleted, notFound: result.notFound },
    });
    return result;
  }
}
