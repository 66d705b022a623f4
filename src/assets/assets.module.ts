import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Clock } from '../common/time/clock';
import { assetsConfig, AssetsConfig } from '../config/configuration';
import { UsersModule } from '../users/users.module';
import { AdminAssetsController } from './admin-assets.controller';
import { Asset, AssetSchema } from './asset.schema';
import { AssetsController } from './assets.controller';
import { AssetsListener } from './assets.listener';
import { AssetsService } from './assets.service';
import { AvatarsController } from './avatars.controller';
import { AvatarsService } from './avatars.service';
import { FilesController } from './files.controller';
import { PurgeStaleAssetsJob } from './purge-stale-assets.job';
import { AssetStorage } from './storage/asset-storage';
import { CloudinaryStorage } from './storage/cloudinary-storage';
import { LocalStorage } from './storage/local-storage';
import { AvatarFormInterceptor } from './upload/avatar-form';
import { UploadsService } from './uploads.service';

/** ASSET_STORAGE picks the adapter: `local` (the default, nothing to set up) or `cloudinary`. */
const storageProvider = {
  provide: AssetStorage,
  inject: [assetsConfig.KEY, Clock],
  useFactory: (config: AssetsConfig, clock: Clock): Promise<AssetStorage> | AssetStorage =>
    config.storage === 'cloudinary' && config.cloudinary
      ? CloudinaryStorage.create(config.cloudinary, () => clock.now())
      : new LocalStorage(config.dir),
};

@Module({
  imports: [MongooseModule.forFeature([{ name: Asset.name, schema: AssetSchema }]), UsersModule],
  controllers: [AssetsController, AdminAssetsController, AvatarsController, FilesController],
  providers: [
    storageProvider,
    AssetsService,
    UploadsService,
    AvatarsService,
    AssetsListener,
    PurgeStaleAssetsJob,
    AvatarFormInterceptor,
  ],
  exports: [AssetsService, AvatarsService, AvatarFormInterceptor],
})
export class AssetsModule implements OnApplicationShutdown {
  constructor(@Inject(AssetStorage) private readonly storage: AssetStorage) {}

  onApplicationShutdown(): void {
    this.storage.close();
  }
}
