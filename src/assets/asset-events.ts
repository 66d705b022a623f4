import { DomainEvents, RequestOrigin } from '../common/events/domain-event';
import { AssetDto } from './dto/asset.dto';

/** The audit entry for an asset a user uploaded or deleted (type and size, never the name). */
export function emitAssetEvent(
  events: DomainEvents,
  action: 'assets.uploaded' | 'assets.deleted',
  actorId: string,
  asset: AssetDto,
  origin: RequestOrigin,
  details: Record<string, unknown> = {},
): void {
  events.emit(action, {
    actorId,
    targetType: 'asset',
    targetId: asset.id,
    ...origin,
    outcome: 'success',
    details: { mimeType: asset.mimeType, bytes: asset.bytes, ...details },
  });
}
