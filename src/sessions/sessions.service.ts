import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Cron, CronExpression } from '@nestjs/schedule';
import { isValidObjectId, Model, Types } from 'mongoose';
import { createHash, randomBytes } from 'node:crypto';
import { DomainException, notFound } from '../common/errors/domain.exception';
import { DomainEvents, RequestOrigin } from '../common/events/domain-event';
import { Clock } from '../common/time/clock';
import { jwtConfig, JwtConfig } from '../config/configuration';
import { UsersService } from '../users/users.service';
import { SessionDto } from './dto/session.dto';
import { SessionCache, SessionState } from './session-cache';
import { Session } from './session.schema';

export interface IssuedSession {
  sessionId: string;
  /** `<sessionId>.<secret>`; only its hash is stored. */
  refreshToken: string;
}

/** How long a guard may trust a cached "live" answer on an instance that did not see a revocation. */
export const SESSION_CACHE_TTL_MS = 5_000;

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('base64url');
const newSecret = () => randomBytes(32).toString('base64url');

const invalidRefresh = () =>
  new DomainException(HttpStatus.UNAUTHORIZED, 'invalid_refresh_token', 'The refresh token is not valid or has expired.');

@Injectable()
export class SessionsService {
  private readonly cache = new SessionCache(SESSION_CACHE_TTL_MS);

  constructor(
    @InjectModel(Session.name) private readonly model: Model<Session>,
    @Inject(jwtConfig.KEY) private readonly config: JwtConfig,
    private readonly users: UsersService,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
  ) {}

  async create(userId: string, origin: RequestOrigin): Promise<IssuedSession> {
    const now = this.clock.now();
    const _id = new Types.ObjectId();
    const secret = newSecret();
    await this.model.create({
      _id,
      userId: new Types.ObjectId(userId),
      refreshHash: hashSecret(secret),
      createdAt: now,
      lastUsedAt: now,
      expiresAt: new Date(now.getTime() + this.config.refreshTtlMs),
      ip: origin.ip,
      userAgent: origin.userAgent,
    });
    return { sessionId: String(_id), refreshToken: `${String(_id)}.${secret}` };
  }

  /**
   * Swaps a refresh token for a new one in one conditional update, so of two concurrent calls
   * with one token exactly one wins. A token that was already rotated away is theft: the whole
   * session is revoked.
   */
  async rotate(refreshToken: string, origin: RequestOrigin): Promise<IssuedSession & { userId: string }> {
    const [sessionId, secret] = refreshToken.split('.');
    if (!sessionId || !secret || !isValidObjectId(sessionId)) throw invalidRefresh();
    const now = this.clock.now();
    const presented = hashSecret(secret);
    const next = newSecret();
    const rotated = await this.model
      .findOneAndUpdate(
        { _id: sessionId, refreshHash: presented, ...this.liveFilter(now) },
        { $set: { refreshHash: hashSecret(next), lastUsedAt: now }, $push: { previousHashes: presented } },
        { new: true, projection: { userId: 1 } },
      )
      .lean();
    if (rotated) return { sessionId, refreshToken: `${sessionId}.${next}`, userId: String(rotated.userId) };

    const reused = await this.model.findOne({ _id: sessionId, previousHashes: presented }, { userId: 1, revokedAt: 1 }).lean();
    if (reused) {
      await this.revokeWhere({ _id: reused._id }, 'refresh_token_reused');
      this.events.emit('auth.refresh.reused', {
        actorId: String(reused.userId),
        targetType: 'session',
        targetId: sessionId,
        ...origin,
        outcome: 'failure',
      });
      throw new DomainException(
        HttpStatus.UNAUTHORIZED,
        'refresh_token_reused',
        'This refresh token was already used; the session has been ended. Sign in again.',
      );
    }
    throw invalidRefresh();
  }

  /** Liveness of a session for the JWT guard; answered from the cache when it can be. */
  async state(sessionId: string, userId: string): Promise<SessionState> {
    const now = this.clock.now();
    const cached = this.cache.get(sessionId, now.getTime());
    if (cached) return cached;
    if (!isValidObjectId(sessionId)) return { live: false, role: '' };
    const [session, user] = await Promise.all([
      this.model.findOne({ _id: sessionId, userId, ...this.liveFilter(now) }, { expiresAt: 1, lastUsedAt: 1 }).lean(),
      this.users.findById(userId),
    ]);
    const live = Boolean(session && user && user.status === 'active');
    const state = { live, role: user?.role ?? '' };
    const endsAt = session ? Math.min(session.expiresAt.getTime(), session.lastUsedAt.getTime() + this.config.sessionIdleTtlMs) : now.getTime() + SESSION_CACHE_TTL_MS;
    this.cache.set(sessionId, userId, state, now.getTime(), endsAt);
    return state;
  }

  async list(userId: string, currentSessionId: string): Promise<SessionDto[]> {
    const now = this.clock.now();
    const sessions = await this.model.find({ userId, ...this.liveFilter(now) }).sort({ lastUsedAt: -1 }).lean();
    return sessions.map((s) => ({
      id: String(s._id),
      createdAt: s.createdAt.toISOString(),
      lastUsedAt: s.lastUsedAt.toISOString(),
      expiresAt: new Date(Math.min(s.expiresAt.getTime(), s.lastUsedAt.getTime() + this.config.sessionIdleTtlMs)).toISOString(),
      ...(s.ip ? { ip: s.ip } : {}),
      ...(s.userAgent ? { userAgent: s.userAgent } : {}),
      current: String(s._id) === currentSessionId,
    }));
  }

  /** Revokes one of the user's own live sessions; another user's id is simply not found. */
  async revoke(userId: string, sessionId: string, reason: string): Promise<void> {
    const revoked = isValidObjectId(sessionId) && (await this.revokeWhere({ _id: sessionId, userId }, reason)) > 0;
    if (!revoked) throw notFound('The session');
  }

  /** Revokes every live session of the user, except `keepSessionId` when given. */
  async revokeAll(userId: string, reason: string, keepSessionId?: string): Promise<number> {
    const filter: Record<string, unknown> = { userId };
    if (keepSessionId) filter._id = { $ne: keepSessionId };
    const count = await this.revokeWhere(filter, reason);
    this.cache.evictUser(userId);
    return count;
  }

  private async revokeWhere(filter: Record<string, unknown>, reason: string): Promise<number> {
    const now = this.clock.now();
    const ids = (await this.model.find({ ...filter, revokedAt: null }, { _id: 1 }).lean()).map((s) => s._id);
    if (ids.length === 0) return 0;
    await this.model.updateMany({ _id: { $in: ids }, revokedAt: null }, { $set: { revokedAt: now, revokedReason: reason } });
    for (const id of ids) this.cache.evictSession(String(id));
    return ids.length;
  }

  private liveFilter(now: Date) {
    return {
      revokedAt: null,
      expiresAt: { $gt: now },
      lastUsedAt: { $gt: new Date(now.getTime() - this.config.sessionIdleTtlMs) },
    };
  }

  /** Deletes sessions that ended (expired, idle, or revoked over a day ago). Idempotent. */
  @Cron(CronExpression.EVERY_HOUR)
  async purgeExpired(): Promise<number> {
    const now = this.clock.now();
    const dayAgo = new Date(now.getTime() - 86_400_000);
    const { deletedCount } = await this.model.deleteMany({
      $or: [
        { expiresAt: { $lte: now } },
        { lastUsedAt: { $lte: new Date(now.getTime() - this.config.sessionIdleTtlMs) } },
        { revokedAt: { $lte: dayAgo } },
      ],
    });
    return deletedCount;
  }
}
