import { Types } from 'mongoose';
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
});
