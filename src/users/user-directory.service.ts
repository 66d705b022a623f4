import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, isValidObjectId, Model, SortOrder } from 'mongoose';
import { Page } from '../common/dto/pagination.dto';
import { literalPrefix } from '../common/escape-regex';
import { Clock } from '../common/time/clock';
import { metadataFilter } from './metadata';
import { UserDto } from './dto/user.dto';
import { UserSummaryDto } from './dto/user-summary.dto';
import { toUserDto } from './user.mapper';
import { User, UserStatus } from './user.schema';

export const USER_SORTS = ['createdAt', '-createdAt', 'email', '-email'] as const;
export type UserSort = (typeof USER_SORTS)[number];

export interface UserQuery {
  page: number;
  limit: number;
  search?: string;
  role?: string;
  status?: UserStatus;
  sort?: UserSort;
  /** `<scope>.<key>[:<value>]` (see metadata.ts): a top-level key of a user's custom data. */
  metadata?: string;
}

export interface UserTotals {
  total: number;
  byStatus: Record<string, number>;
  byRole: Record<string, number>;
  signupsLast30Days: { date: string; count: number }[];
}

const DAY_MS = 86_400_000;

/** The list's filters (role, status, search), shared by the list and the export. */
export function userFilter(
  query: Pick<UserQuery, 'role' | 'status' | 'search' | 'metadata'>,
): FilterQuery<User> {
  const filter: FilterQuery<User> = { deletingAt: null };
  if (query.role) filter.role = query.role;
  if (query.status) filter.status = query.status;
  if (query.search) {
    const prefix = literalPrefix(query.search.trim().toLowerCase());
    filter.$or = [{ email: prefix }, { username: prefix }, { nameKeys: prefix }];
  }
  // No index can serve an arbitrary key (the development database has no wildcard index):
  // combine it with the other filters on a large directory.
  if (query.metadata) Object.assign(filter, metadataFilter(query.metadata));
  return filter;
}

/** The admin's view of all users: search, filter, sort, page, and the totals for the dashboard. */
@Injectable()
export class UserDirectory {
  constructor(
    @InjectModel(User.name) private readonly model: Model<User>,
    private readonly clock: Clock,
  ) {}

  /**
   * Search is a case-insensitive *prefix* match on the email, the username, and the first name,
   * last name or both (all stored lower-cased and indexed): an anchored, escaped `$regex` that
   * an index can answer, never a pattern built from user input.
   */
  async list(query: UserQuery): Promise<Page<UserDto>> {
    const filter = userFilter(query);
    const sort = query.sort ?? '-createdAt';
    const direction: SortOrder = sort.startsWith('-') ? -1 : 1;
    // Emails are unique; creation times are not, so `_id` breaks ties (and the index has it).
    const order: Record<string, SortOrder> = sort.endsWith('email')
      ? { email: direction }
      : { createdAt: direction, _id: direction };
    const [items, total] = await Promise.all([
      this.model
        .find(filter)
        .sort(order)
        .skip((query.page - 1) * query.limit)
        .limit(query.limit)
        .lean(),
      this.model.countDocuments(filter),
    ]);
    return {
      items: items.map((user) => toUserDto(user, { admin: true })),
      total,
      page: query.page,
      limit: query.limit,
    };
  }

  /** One user as admins see it (private metadata included); `null` when there is none. */
  async get(id: string): Promise<UserDto | null> {
    if (!isValidObjectId(id)) return null;
    const user = await this.model.findById(id).lean();
    return user ? toUserDto(user, { admin: true }) : null;
  }

  /**
   * The summaries of up to a page of users in one query (an `_id` `$in`), keyed by id; ids that
   * name nobody (a deleted account, an anonymous attempt) are simply missing from the map.
   */
  async summaries(ids: Iterable<string | undefined>): Promise<Map<string, UserSummaryDto>> {
    const wanted = [...new Set([...ids].filter((id): id is string => isValidObjectId(id)))];
    if (wanted.length === 0) return new Map();
    const users = await this.model
      .find({ _id: { $in: wanted } })
      .select({ email: 1, firstName: 1, lastName: 1 })
      .lean();
    return new Map(
      users.map((user) => {
        const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
        const summary: UserSummaryDto = { id: String(user._id), email: user.email };
        if (name) summary.name = name;
        return [summary.id, summary];
      }),
    );
  }

  /** Totals by status and role and sign-ups per UTC day for 30 days, in one aggregation. */
  async totals(): Promise<UserTotals> {
    const today = startOfUtcDay(this.clock.now());
    const since = new Date(today.getTime() - 29 * DAY_MS);
    const [result] = await this.model.aggregate<{
      byStatus: { _id: string; count: number }[];
      byRole: { _id: string; count: number }[];
      signups: { _id: string; count: number }[];
    }>([
      { $match: { deletingAt: null } },
      {
        $facet: {
          byStatus: [{ $group: { _id: '$status', count: { $sum: 1 } } }],
          byRole: [{ $group: { _id: '$role', count: { $sum: 1 } } }],
          signups: [
            { $match: { createdAt: { $gte: since } } },
            {
              $group: {
                _id: { $dateToString: { format: '%Y-%m-%d', date: '$createdAt' } },
                count: { $sum: 1 },
              },
            },
          ],
        },
      },
    ]);
    const counts = (rows: { _id: string; count: number }[] = []) =>
      Object.fromEntries(rows.map((row) => [row._id, row.count]));
    const byStatus = {
      pending: 0,
      invited: 0,
      active: 0,
      disabled: 0,
      ...counts(result?.byStatus),
    };
    const perDay = counts(result?.signups);
    const signupsLast30Days = Array.from({ length: 30 }, (_, i) => {
      const date = new Date(since.getTime() + i * DAY_MS).toISOString().slice(0, 10);
      return { date, count: perDay[date] ?? 0 };
    });
    const total = Object.values(byStatus).reduce((sum, n) => sum + n, 0);
    return { total, byStatus, byRole: counts(result?.byRole), signupsLast30Days };
  }
}

function startOfUtcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}
