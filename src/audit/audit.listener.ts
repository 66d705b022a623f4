import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { BackgroundWork } from '../common/background/background-work';
import { DOMAIN_EVENT_PREFIX, Emitted } from '../common/events/domain-event';
import { AuditService } from './audit.service';

/**
 * Writes one audit entry for every audited domain event (those with an outcome), off the request
 * path as background work, which a graceful shutdown waits for.
 */
@Injectable()
export class AuditListener {
  private readonly logger = new Logger('Audit');
  constructor(
    private readonly audit: AuditService,
    private readonly background: BackgroundWork,
  ) {}

  @OnEvent(`${DOMAIN_EVENT_PREFIX}.**`)
  onDomainEvent(event: Emitted): void {
    if (!('outcome' in event)) return; // an effect, not an audited action
    this.background.run('audit', () =>
      this.audit.record(event.action, event).catch((err: unknown) => {
        this.logger.error({ err, action: event.action }, 'could not write an audit entry');
      }),
    );
  }
}
