import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { DomainEvent } from '../common/events/domain-event';
import { Clock } from '../common/time/clock';
import { AuditLog } from './audit-log.schema';

@Injectable()
export class AuditService {
  constructor(
    @InjectModel(AuditLog.name) private readonly model: Model<AuditLog>,
    private readonly clock: Clock,
  ) {}

  async record(action: string, event: DomainEvent): Promise<void> {
    await this.model.create({ ...event, action, at: this.clock.now() });
  }
}
