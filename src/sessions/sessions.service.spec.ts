import { Types } from 'mongoose';
import { DomainException } from '../common/errors/domain.exception';
import { DOMAIN_EVENT_PREFIX } from '../common/events/domain-event';
import { createUnitModule, UnitModule } from '../../test/support/unit-db';
import { jwtConfig } from '../config/configuration';
import { User, UserSchema } from '../users/user.schema';
import { UsersService } from '../users/users.service';
import { Session, SessionSchema } from './session.schema';
import { SessionsService } from './sessions.service';

const DAY = 86_400_000;
const JWT = {
  refreshRotationSecret: Buffer.alloc(32, 7),
  accessTtlMs: 900_000,
  refreshTtlMs: 7 * DAY,
  sessionIdleTtlMs: DAY,
  refreshGraceMs: 10_000,
  issuer: 'i',
  audience: 'a',
};

describe(SessionsService.name, () => {
  let unit: UnitModule;
  let sessions: SessionsService;
  beforeAll(async () => {
    unit = await createUnitModule({
      models: [
        { name: Session.name, schema: SessionSchema },
        { name: User.name, schema: UserSchema },
      ],
      providers: [SessionsService, UsersService, { provide: jwtConfig.KEY, useValue: JWT }],
    });
    sessions = unit.moduleRef.get(SessionsService);
  });
  afterAll(() => unit.close());

  it('purges ended sessions (expired, idle, revoked over a day ago) and keeps every live one', async () => {
    const userId = String(new Types.ObjectId());
    const live = await sessions.create(userId, {});
    const idle = await sessions.create(userId, {});
    const revoked = await sessions.create(userId, {});
    await sessions.revoke(userId, revoked.sessionId, 'test');

    unit.clock.advance(DAY - 60_000);
    await sessions.rotate(live.refreshToken, {}); // used, so not idle
    const stillRevoked = await sessions.create(userId, {});
    await sessions.revoke(userId, stillRevoked.sessionId, 'test'); // revoked less than a day ago
    unit.clock.advance(120_000); // `idle` unused for over SESSION_IDLE_TTL; `revoked` ended over a day ago

    expect(await sessions.purgeExpired()).toBe(2);
    const left = (await unit.db.collection('sessions').find().toArray())
      .map((s) => String(s._id))
      .sort();
    expect(left).toEqual([live.sessionId, stillRevoked.sessionId].sort());
    expect(left).not.toContain(idle.sessionId);
    expect(await sessions.purgeExpired()).toBe(0);
  });

  it('purges a session at its absolute end even when it was used a minute ago', async () => {
    const userId = String(new Types.ObjectId());
    const session = await sessions.create(userId, {});
    let token = session.refreshToken;
    for (let i = 0; i < 7; i++) {
      unit.clock.advance(DAY - 3_600_000);
      token = (await sessions.rotate(token, {})).refreshToken;
    }
    await sessions.purgeExpired();
    expect(
      await unit.db
        .collection('sessions')
        .countDocuments({ _id: new Types.ObjectId(session.sessionId) }),
    ).toBe(1);
    unit.clock.advance(8 * 3_600_000); // past 7 days from creation
    await sessions.purgeExpired();
    expect(
      await unit.db
        .collection('sessions')
        .countDocuments({ _id: new Types.ObjectId(session.sessionId) }),
    ).toBe(0);
  });

  it('never serves a cached "live" past the session\'s end', async () => {
    const userId = new Types.ObjectId();
    await unit.db.collection('users').insertOne({
      _id: userId,
      email: `cache-${String(userId)}@example.com`,
      role: 'user',
      status: 'active',
      passwordHash: 'x$y',
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    const session = await sessions.create(String(userId), {});
    unit.clock.advance(DAY - 1000); // 1 s before SESSION_IDLE_TTL ends it
    expect((await sessions.state(session.sessionId, String(userId))).live).toBe(true); // cached now
    unit.clock.advance(2000);
    expect((await sessions.state(session.sessionId, String(userId))).live).toBe(false);
  });

  describe('refresh rotation', () => {
    const sessionDoc = (id: string) =>
      unit.db.collection('sessions').findOne({ _id: new Types.ObjectId(id) });
    const codeOf = (promise: Promise<unknown>) =>
      promise.then(
        () => 'rotated',
        (error: unknown) => (error instanceof DomainException ? error.code : String(error)),
      );

    it('gives a retry of the same refresh within the grace the same successor, and keeps the session', async () => {
      const session = await sessions.create(String(new Types.ObjectId()), {});
      const first = await sessions.rotate(session.refreshToken, {});
      unit.clock.advance(9_000);
      const retry = await sessions.rotate(session.refreshToken, {});
      expect(retry.refreshToken).toBe(first.refreshToken);
      expect((await sessionDoc(session.sessionId))?.revokedAt).toBeUndefined();
    });

    it('ends the session and reports theft when a token rotated away past the grace is replayed', async () => {
      const userId = String(new Types.ObjectId());
      const session = await sessions.create(userId, {});
      const reused: unknown[] = [];
      unit.events.on(`${DOMAIN_EVENT_PREFIX}.auth.refresh.reused`, (event) => reused.push(event));
      const next = await sessions.rotate(session.refreshToken, {});
      unit.clock.advance(11_000);
      expect(await codeOf(sessions.rotate(session.refreshToken, {}))).toBe('refresh_token_reused');
      const doc = await sessionDoc(session.sessionId);
      expect(doc?.revokedReason).toBe('refresh_token_reused');
      expect(reused).toEqual([
        expect.objectContaining({ actorId: userId, targetId: session.sessionId }),
      ]);
      // The successor died with the session.
      expect(await codeOf(sessions.rotate(next.refreshToken, {}))).toBe('invalid_refresh_token');
    });

    it('ends the session when an older token is replayed after the successor was used', async () => {
      const session = await sessions.create(String(new Types.ObjectId()), {});
      const second = await sessions.rotate(session.refreshToken, {});
      await sessions.rotate(second.refreshToken, {});
      expect(await codeOf(sessions.rotate(session.refreshToken, {}))).toBe('refresh_token_reused');
    });

    it('refuses a token that was never issued without ending the session', async () => {
      const session = await sessions.create(String(new Types.ObjectId()), {});
      const forged = `${session.sessionId}.${'A'.repeat(43)}`;
      expect(await codeOf(sessions.rotate(forged, {}))).toBe('invalid_refresh_token');
      expect((await sessionDoc(session.sessionId))?.revokedAt).toBeUndefined();
    });

    it('starts the grace when the rotation landed, not when its request began (a stalled database)', async () => {
      const session = await sessions.create(String(new Types.ObjectId()), {});
      const first = await sessions.rotate(session.refreshToken, {});
      const at = (msAgo: number) => new Date(unit.clock.now().getTime() - msAgo);
      const rotation = (set: Record<string, Date>) =>
        unit.db
          .collection('sessions')
          .updateOne({ _id: new Types.ObjectId(session.sessionId) }, { $set: set });

      // Its request began 40 s ago and gave up (503); the database applied the write just now.
      await rotation({ rotatedAt: at(40_000), rotationLandedAt: at(0) });
      const retry = await sessions.rotate(session.refreshToken, {});
      expect(retry.refreshToken).toBe(first.refreshToken);

      // Landed 40 s ago as well: a replay past the grace, whichever clock is asked.
      await rotation({ rotatedAt: at(40_000), rotationLandedAt: at(40_000) });
      expect(await codeOf(sessions.rotate(session.refreshToken, {}))).toBe('refresh_token_reused');
    });
  });
});
