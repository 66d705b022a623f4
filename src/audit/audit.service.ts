import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model } from 'mongoose';
import { Page } from '../common/dto/pagination.dto';
import { AuditFields } from '../common/events/domain-event';
import { Clock } from '../common/time/clock';
import { AuditLog } from './audit-log.schema';
import { AuditEntryDto } from './dto/audit-entry.dto';

export interface AuditQuery {
  page: number;
  limit: number;
  actorId?: string;
  action?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
}

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

  /**
   * Newest first. Each filter has an index that ends in `at` (`actorId`, `targetId`, `action`,
   * and `at` alone), so a page stays an index walk at millions of entries.
   */
  async query(query: AuditQuery): Promise<Page<AuditEntryDto>> {
    const filter: FilterQuery<AuditLog> = {};
    if (query.actorId) filter.actorId = query.actorId;
    if (query.action) filter.action = query.action;
    if (query.targetId) filter.targetId = query.targetId;
    if (query.from || query.to)
      filter.at = {
        ...(query.from ? { $gte: query.from } : {}),
        ...(query.to ? { $lte: query.to } : {}),
      };
    const [entries, total] = await Promise.all([
      this.model
        .find(filter)
        .sort({ at: -1, _id: -1 })
        .skip((query.page - 1) * query.limit)
        .limit(query.limit)
        .lean(),
      this.model.countDocuments(filter),
    ]);
    return {
      items: entries.map((entry) => ({
        id: String(entry._id),
        at: entry.at.toISOString(),
        ...(entry.actorId ? { actorId: entry.actorId } : {}),
        action: entry.action,
        ...(entry.targetType ? { targetType: entry.targetType } : {}),
        ...(entry.targetId ? { targetId: entry.targetId } : {}),
        ...(entry.ip ? { ip: entry.ip } : {}),
        ...(entry.userAgent ? { userAgent: entry.userAgent } : {}),
        outcome: entry.outcome,
        ...(entry.details ? { details: entry.details } : {}),
      })),
      total,
      page: query.page,
      limit: query.limit,
    };
  }
}
