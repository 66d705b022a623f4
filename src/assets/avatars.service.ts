import { Injectable, Logger } from '@nestjs/common';
import { Readable } from 'node:stream';
import { notFound } from '../common/errors/domain.exception';
import { DomainEvents, RequestOrigin } from '../common/events/domain-event';
import { UserDto } from '../users/dto/user.dto';
import { UsersService } from '../users/users.service';
import { emitAssetEvent } from './asset-events';
import { AssetsService } from './assets.service';
import { BufferedFile } from './upload/avatar-form';
import { IncomingFile } from './upload/multipart-file';
import { UploadsService } from './uploads.service';

/**
 * A user's avatar is one of their image assets, referenced from the user. Replacing or removing
 * it points the user elsewhere first and deletes the old asset (file, then record) after, so the
 * user never references a file that is gone. Two replacements racing can at worst leave one
 * image as an ordinary asset in the owner's list, never a dangling reference or a lost file.
 */
@Injectable()
export class AvatarsService {
  private readonly logger = new Logger('Avatars');

  constructor(
    private readonly users: UsersService,
    private readonly uploads: UploadsService,
    private readonly assets: AssetsService,
    private readonly events: DomainEvents,
  ) {}

  async replace(userId: string, incoming: IncomingFile, origin: RequestOrigin): Promise<UserDto> {
    const uploaded = await this.uploads.upload(userId, incoming, { imagesOnly: true });
    const before = await this.users.findById(userId);
    const user = await this.users.setAvatar(userId, { assetId: uploaded.id, url: uploaded.url });
    if (!user) {
      await this.assets.delete(uploaded.id);
      throw notFound('The user');
    }
    emitAssetEvent(this.events, 'assets.uploaded', userId, uploaded, origin, { avatar: true });
    await this.dropOld(userId, before?.avatarUrl, origin);
    return user;
  }

  /** The avatar sent with a registration form (already checked by AvatarFormInterceptor). */
  replaceWith(userId: string, file: BufferedFile, origin: RequestOrigin): Promise<UserDto> {
    const incoming = {
      fileName: file.fileName,
      stream: Readable.from([file.bytes]),
      finish: () => Promise.resolve(),
    };
    return this.replace(userId, incoming, origin);
  }

  async remove(userId: string, origin: RequestOrigin): Promise<UserDto> {
    const before = await this.users.findById(userId);
    if (!before) throw notFound('The user');
    if (!before.avatarUrl) return before;
    const user = await this.users.setAvatar(userId, null);
    if (!user) throw notFound('The user');
    await this.dropOld(userId, before.avatarUrl, origin);
    return user;
  }

  /**
   * Deletes the asset that was the avatar. The user no longer points at it, so a storage failure
   * here must not fail the request: the asset is left `deleting` for the purge job.
   */
  private async dropOld(
    userId: string,
    url: string | undefined,
    origin: RequestOrigin,
  ): Promise<void> {
    if (!url) return;
    try {
      const removed = await this.assets.deleteByUrl(userId, url);
      if (removed)
        emitAssetEvent(this.events, 'assets.deleted', userId, removed, origin, { avatar: true });
    } catch (err) {
      this.logger.warn({ err }, 'the old avatar is left for the purge job');
    }
  }
}
