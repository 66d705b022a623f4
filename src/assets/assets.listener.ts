import { Injectable } from '@nestjs/common';
import { Emitted, OnDomainEvent } from '../common/events/domain-event';
import { AssetsService } from './assets.service';

/** What the assets feature does when something happens elsewhere. */
@Injectable()
export class AssetsListener {
  constructor(private readonly assets: AssetsService) {}

  /**
   * A user is being deleted: their files go (in storage too), then their records. Awaited by the
   * deletion, so a storage failure fails it instead of leaving files behind; idempotent, so a
   * retry or a purge job may run it again.
   */
  @OnDomainEvent('users.deleting')
  async deleteAssetsOfUser(event: Emitted<'users.deleting'>): Promise<void> {
    await this.assets.deleteAllOf(event.userId);
  }
}
