import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { DOMAIN_EVENT_PREFIX, Emitted } from '../common/events/domain-event';
import { AuditService } from './audit.service';

/** Writes one audit entry for every audited domain event (those with an outcome), off the request path. */
@Injectable()
export class AuditListener {
  private readonly logger = new Logger('Audit');
  constructor(private readonly audit: AuditService) {}

  @OnEvent(`${DOMAIN_EVENT_PREFIX}.**`, { async: true })
  async onDomainEvent(event: Emitted): Promise<void> {
    if (!('outcome' in event)) return; // an effect, not an audited action
    try {
      await this.audit.record(event.action, event);
    } catch (err) {
      this.logger.error({ err, action: event.action }, 'could not write an audit entry');
    }
  }
}
