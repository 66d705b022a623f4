import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { AuditFields } from '../common/events/domain-event';
import { Clock } from '../common/time/clock';
import { AuditLog } from './audit-log.schema';

@Injectable()
export class AuditService {
  constructor(
    @InjectModel(AuditLog.name) private readonly model: Model<AuditLog>,
    private readonly clock: Clock,
  ) {}

  /** Stores the audit fields only: anything else an event carries (a mail address) is dropped. */
  async record(action: string, event: AuditFields): Promise<void> {
    const { actorId, targetType, targetId, ip, userAgent, outcome, details } = event;
    await this.model.create({
      at: this.clock.now(),
      action,
      actorId,
      targetType,
      targetId,
      ip,
      userAgent,
      outcome,
      details,
    });
  }
}
