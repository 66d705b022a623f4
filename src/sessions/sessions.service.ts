import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, Model, Types } from 'mongoose';
import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { DomainException, notFound } from '../common/errors/domain.exception';
import { DomainEvents, RequestOrigin } from '../common/events/domain-event';
import { Clock } from '../common/time/clock';
import { CacheInvalidations } from '../cluster/cache-invalidations';
import { jwtConfig, JwtConfig } from '../config/configuration';
import { UserDto } from '../users/dto/user.dto';
import { UsersService } from '../users/users.service';
import { SessionDto } from './dto/session.dto';
import { SessionCache, SessionState } from './session-cache';
import { Session } from './session.schema';

export interface IssuedSession {
  sessionId: string;
  /** `<sessionId>.<secret>`; only its hash is stored. */
  refreshToken: string;
}

/**
 * How long a guard may trust a cached "live" answer on an instance that did not hear of a
 * revocation (no Redis, or a broadcast lost while Redis was down).
 */
export const SESSION_CACHE_TTL_MS = 5_000;
/** How many rotated-away hashes a session keeps for reuse detection (older ones are just invalid). */
export const RECENT_HASHES = 32;

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('base64url');
const newSecret = () => randomBytes(32).toString('base64url');

const invalidRefresh = () =>
  new DomainException(
    HttpStatus.UNAUTHORIZED,
    'invalid_refresh_token',
    'The refresh token is not valid or has expired.',
  );

@Injectable()
export class SessionsService {
  private readonly cache = new SessionCache(SESSION_CACHE_TTL_MS);
  /** Derives each refresh secret from the one it replaces (see `successor`). */
  private readonly rotationKey: Buffer;

  constructor(
    @InjectModel(Session.name) private readonly model: Model<Session>,
    @Inject(jwtConfig.KEY) private readonly config: JwtConfig,
    private readonly users: UsersService,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
    private readonly invalidations: CacheInvalidations,
  ) {
    invalidations.on((message) => {
      if (message.kind === 'user') this.cache.evictUser(message.userId);
      else if (message.kind === 'sessions')
        for (const { sessionId, userId } of message.sessions)
          this.cache.evictSession(sessionId, userId);
    });
    this.rotationKey = Buffer.from(
      hkdfSync('sha256', config.refreshRotationSecret, 'user-management', 'refresh-rotation', 32),
    );
  }

  /**
   * A new session. With `impersonatorId`, an admin's session as the user: marked, and ending
   * after `ttlMs` (the caller keeps its refresh token to itself, so it is never refreshed).
   */
  async create(
    userId: string,
    origin: RequestOrigin,
    as: { impersonatorId?: string; ttlMs?: number } = {},
  ): Promise<IssuedSession> {
    const now = this.clock.now();
    const _id = new Types.ObjectId();
    const secret = newSecret();
    await this.model.create({
      _id,
      userId: new Types.ObjectId(userId),
      refreshHash: hashSecret(secret),
      createdAt: now,
      lastUsedAt: now,
      expiresAt: new Date(now.getTime() + (as.ttlMs ?? this.config.refreshTtlMs)),
      ip: origin.ip,
      userAgent: origin.userAgent,
      ...(as.impersonatorId ? { impersonatorId: new Types.ObjectId(as.impersonatorId) } : {}),
    });
    return { sessionId: String(_id), refreshToken: `${String(_id)}.${secret}` };
  }

  /**
   * Swaps a refresh token for its successor in one conditional update, so of concurrent calls
   * with one token exactly one rotates. The others, and any retry of that same refresh within
   * JWT_REFRESH_GRACE (two tabs, a lost response), get the same successor back instead of
   * ending the session. A token rotated away longer ago than that is theft: the session ends.
   *
   * The grace runs from the later of two times: the request's (`rotatedAt`, this clock) and the
   * moment the write landed (`rotationLandedAt`, the database's clock). They differ only when the
   * database stalled: the request gave up with a 503, the write landed when the server came back,
   * and the client's retry must then find a fresh grace, not a token "reused" long ago.
   */
  async rotate(
    refreshToken: string,
    origin: RequestOrigin,
  ): Promise<IssuedSession & { userId: string }> {
    const [sessionId, secret, extra] = refreshToken.split('.');
    if (!sessionId || !secret || extra !== undefined || !isValidObjectId(sessionId))
      throw invalidRefresh();
    const now = this.clock.now();
    const presented = hashSecret(secret);
    const next = this.successor(sessionId, secret);
    const issued = { sessionId, refreshToken: `${sessionId}.${next}` };
    const rotated = await this.model
      .findOneAndUpdate(
        { _id: sessionId, refreshHash: presented, ...this.liveFilter(now) },
        {
          $set: {
            refreshHash: hashSecret(next),
            rotatedFromHash: presented,
            rotatedAt: now,
            lastUsedAt: now,
          },
          $currentDate: { rotationLandedAt: true },
          $push: { previousHashes: { $each: [presented], $slice: -RECENT_HASHES } },
        },
        { new: true, projection: { userId: 1 } },
      )
      .lean();
    if (rotated) return { ...issued, userId: String(rotated.userId) };

    const graceStart = new Date(now.getTime() - this.config.refreshGraceMs);
    const retried = await this.model
      .findOneAndUpdate(
        {
          _id: sessionId,
          refreshHash: hashSecret(next),
          rotatedFromHash: presented,
          $or: [{ rotatedAt: { $gt: graceStart } }, { rotationLandedAt: { $gt: graceStart } }],
          ...this.liveFilter(now),
        },
        { $set: { lastUsedAt: now } },
        { projection: { userId: 1 } },
      )
      .lean();
    if (retried) return { ...issued, userId: String(retried.userId) };

    const reused = await this.model
      .findOne({ _id: sessionId, previousHashes: presented }, { userId: 1, revokedAt: 1 })
      .lean();
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

  /**
   * The refresh secret that replaces `secret`: an HMAC under a key derived from the signing
   * secret, so it is as unguessable as a random one, yet a retry of the same refresh can be
   * answered with the same token while only hashes are stored.
   */
  private successor(sessionId: string, secret: string): string {
    return createHmac('sha256', this.rotationKey)
      .update(`${sessionId}.${secret}`)
      .digest('base64url');
  }

  /** Liveness of a session for the JWT guard; answered from the cache when it can be. */
  async state(sessionId: string, userId: string): Promise<SessionState> {
    const now = this.clock.now();
    const cached = this.cache.get(sessionId, userId, now.getTime());
    if (cached) return cached;
    if (!isValidObjectId(sessionId)) return { live: false };
    const generation = this.cache.generation;
    const [session, user] = await Promise.all([
      this.model
        .findOne(
          { _id: sessionId, userId, ...this.liveFilter(now) },
          { expiresAt: 1, lastUsedAt: 1 },
        )
        .lean(),
      this.userOf(userId),
    ]);
    const live = Boolean(session && user && user.status === 'active');
    const state: SessionState = live ? { live, user: user! } : { live };
    const endsAt = session
      ? Math.min(
          session.expiresAt.getTime(),
          session.lastUsedAt.getTime() + this.config.sessionIdleTtlMs,
        )
      : now.getTime() + SESSION_CACHE_TTL_MS;
    this.cache.set(sessionId, userId, state, now.getTime(), endsAt, generation);
    return state;
  }

  /**
   * The user as clients see it, from this instance's cache when it is there (same lifetime and
   * eviction as the session answers): a refresh or a session check then costs no user query.
   */
  async userOf(userId: string): Promise<UserDto | null> {
    const now = this.clock.now().getTime();
    const cached = this.cache.getUser(userId, now);
    if (cached) return cached;
    const generation = this.cache.generation;
    const user = await this.users.findById(userId);
    if (user) this.cache.setUser(user, now, generation);
    return user;
  }

  async list(userId: string, currentSessionId: string): Promise<SessionDto[]> {
    const now = this.clock.now();
    const sessions = await this.model
      .find({ userId, ...this.liveFilter(now) })
      .sort({ lastUsedAt: -1 })
      .lean();
    return sessions.map((s) => ({
      id: String(s._id),
      createdAt: s.createdAt.toISOString(),
      lastUsedAt: s.lastUsedAt.toISOString(),
      expiresAt: new Date(
        Math.min(s.expiresAt.getTime(), s.lastUsedAt.getTime() + this.config.sessionIdleTtlMs),
      ).toISOString(),
      ...(s.ip ? { ip: s.ip } : {}),
      ...(s.userAgent ? { userAgent: s.userAgent } : {}),
      ...(s.impersonatorId ? { impersonated: true } : {}),
      current: String(s._id) === currentSessionId,
    }));
  }

  /** Revokes one of the user's own live sessions; another user's id is simply not found. */
  async revoke(userId: string, sessionId: string, reason: string): Promise<void> {
    const revoked =
      isValidObjectId(sessionId) &&
      (await this.revokeWhere({ _id: sessionId, userId }, reason)) > 0;
    if (!revoked) throw notFound('The session');
  }

  /** Revokes every live session of the user, except `keepSessionId` when given. */
  async revokeAll(userId: string, reason: string, keepSessionId?: string): Promise<number> {
    const filter: Record<string, unknown> = { userId };
    if (keepSessionId) filter._id = { $ne: keepSessionId };
    return this.revokeWhere(filter, reason, userId);
  }

  /** Drops every instance's cached answers for the user (their data changed). */
  forgetUser(userId: string): Promise<void> {
    return this.invalidations.publish({ kind: 'user', userId });
  }

  /** Removes every session of the user (account deletion); revoked first by the caller. */
  async deleteAllOf(userId: string): Promise<number> {
    const { deletedCount } = await this.model.deleteMany({ userId });
    await this.forgetUser(userId);
    return deletedCount;
  }

  /** Live sessions of one user now (the admin console's user page). */
  async countLiveOf(userId: string): Promise<number> {
    return this.model.countDocuments({
      userId: new Types.ObjectId(userId),
      ...this.liveFilter(this.clock.now()),
    });
  }

  /** Live sessions now, across all users (admin stats). */
  async countLive(): Promise<number> {
    return this.model.countDocuments(this.liveFilter(this.clock.now()));
  }

  /**
   * Revokes the matching live sessions. Each instance's cache drops them: these sessions, or,
   * with `wholeUser`, everything cached for that user (one broadcast for all their sessions).
   */
  private async revokeWhere(
    filter: Record<string, unknown>,
    reason: string,
    wholeUser?: string,
  ): Promise<number> {
    const now = this.clock.now();
    const sessions = await this.model
      .find({ ...filter, revokedAt: null }, { _id: 1, userId: 1 })
      .lean();
    if (sessions.length > 0)
      await this.model.updateMany(
        { _id: { $in: sessions.map((session) => session._id) }, revokedAt: null },
        { $set: { revokedAt: now, revokedReason: reason } },
      );
    if (wholeUser) await this.forgetUser(wholeUser);
    else if (sessions.length > 0)
      await this.invalidations.publish({
        kind: 'sessions',
        sessions: sessions.map((s) => ({ sessionId: String(s._id), userId: String(s.userId) })),
      });
    return sessions.length;
  }

  private liveFilter(now: Date) {
    return {
      revokedAt: null,
      expiresAt: { $gt: now },
      lastUsedAt: { $gt: new Date(now.getTime() - this.config.sessionIdleTtlMs) },
    };
  }

  /** Deletes sessions that ended (expired, idle, or revoked over a day ago). Idempotent. */
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
