import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { DomainEvent } from '../common/events/domain-event';
import { Clock } from '../common/time/clock';
import { AuditLog } from './audit-log.schema';

export interface AuditEntry extends DomainEvent {
  id: string;
  at: string;
  action: string;
}

@Injectable()
export class AuditService {
  constructor(
    @InjectModel(AuditLog.name) private readonly model: Model<AuditLog>,
    private readonly clock: Clock,
  ) {}

  async record(action: string, event: DomainEvent): Promise<void> {
    await this.model.create({ ...event, action, at: this.clock.now() });
  }

  /** Entries newest first; the admin reader (a later issue) pages over this. */
  async latest(filter: { actorId?: string; action?: string; targetId?: string }, limit = 50): Promise<AuditEntry[]> {
    const query: Record<string, string> = {};
    for (const [key, value] of Object.entries(filter)) if (value !== undefined) query[key] = value;
    const docs = await this.model.find(query).sort({ at: -1, _id: -1 }).limit(limit).lean();
    return docs.map(({ _id, at, ...rest }) => ({ ...rest, id: String(_id), at: at.toISOString() }));
  }
}
