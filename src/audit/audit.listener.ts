import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { DOMAIN_EVENT_PREFIX, EmittedDomainEvent } from '../common/events/domain-event';
import { AuditService } from './audit.service';

/** Writes one audit entry for every domain event, off the request path. */
@Injectable()
export class AuditListener {
  private readonly logger = new Logger('Audit');
  constructor(private readonly audit: AuditService) {}

  @OnEvent(`${DOMAIN_EVENT_PREFIX}.**`, { async: true })
  async onDomainEvent({ action, ...event }: EmittedDomainEvent): Promise<void> {
    try {
      await this.audit.record(action, event);
    } catch (err) {
      this.logger.error({ err, action }, 'could not write an audit entry');
    }
  }
}
