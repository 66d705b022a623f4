import { OtpService } from '../src/auth/otp/otp.service';
import { createTestApp, TestApp } from './support/test-app';
import { auditEntries, PASSWORD } from './support/auth-helpers';

describe('Registration and email verification', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp()));
  afterAll(() => t.close());

  it('creates a pending user, mails a 6-digit code, and activates with it', async () => {
    const res = await t
      .http()
      .post('/api/v1/auth/register')
      .send({ email: ' Ada@Example.COM ', password: PASSWORD, firstName: 'Ada', username: 'Ada_L' })
      .expect(201);
    expect(res.body.user).toMatchObject({
      email: 'ada@example.com',
      username: 'ada_l',
      firstName: 'Ada',
      status: 'pending',
      emailVerified: false,
      role: 'user',
    });
    expect(JSON.stringify(res.body)).not.toMatch(/hash|\$2b\$/i);
    const code = await t.mail.code('ada@example.com', /verification code/);
    const verified = await t
      .http()
      .post('/api/v1/auth/verify-email')
      .send({ email: 'ada@example.com', code })
      .expect(200);
    expect(verified.body.user).toMatchObject({ status: 'active', emailVerified: true });
    expect(await auditEntries(t, 'auth.registered')).toHaveLength(1);
    expect(await auditEntries(t, 'auth.email_verified')).toHaveLength(1);
  });

  it('never lets a used code work again', async () => {
    await t
      .http()
      .post('/api/v1/auth/register')
      .send({ email: 'once@example.com', password: PASSWORD })
      .expect(201);
    const code = await t.mail.code('once@example.com', /verification code/);
    await t
      .http()
      .post('/api/v1/auth/verify-email')
      .send({ email: 'once@example.com', code })
      .expect(200);
    const again = await t
      .http()
      .post('/api/v1/auth/verify-email')
      .send({ email: 'once@example.com', code })
      .expect(400);
    expect(again.body.code).toBe('invalid_otp');
  });

  it('refuses a verified duplicate email or username with 409', async () => {
    const email = await t
      .http()
      .post('/api/v1/auth/register')
      .send({ email: 'ada@example.com', password: PASSWORD })
      .expect(409);
    expect(email.body.code).toBe('email_taken');
    const username = await t
      .http()
      .post('/api/v1/auth/register')
      .send({ email: 'other@example.com', password: PASSWORD, username: 'ADA_L' })
      .expect(409);
    expect(username.body.code).toBe('username_taken');
  });

  it('lets a re-registration of a pending email replace its password, the code already sent staying valid', async () => {
    await t
      .http()
      .post('/api/v1/auth/register')
      .send({ email: 'squat@example.com', password: 'squatter password 1' })
      .expect(201);
    const first = await t.mail.code('squat@example.com', /verification code/);
    await t
      .http()
      .post('/api/v1/auth/register')
      .send({ email: 'squat@example.com', password: PASSWORD })
      .expect(201);
    await t.settle();
    expect(t.mail.to('squat@example.com')).toHaveLength(1); // inside the resend window
    await t
      .http()
      .post('/api/v1/auth/verify-email')
      .send({ email: 'squat@example.com', code: first })
      .expect(200);
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'squat@example.com', password: 'squatter password 1' })
      .expect(401);
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'squat@example.com', password: PASSWORD })
      .expect(200);
  });

  it('mails at most one code per resend window to 20 parallel re-registrations of a pending email', async () => {
    const register = () =>
      t
        .http()
        .post('/api/v1/auth/register')
        .send({ email: 'again@example.com', password: PASSWORD });
    await register().expect(201);
    const first = await t.mail.code('again@example.com', /verification code/);
    const burst = async () => {
      const results = await Promise.all(Array.from({ length: 20 }, register));
      expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
      await t.settle();
    };
    await burst(); // inside the window: the code already sent stays the one
    expect(t.mail.to('again@example.com')).toHaveLength(1);
    t.clock.advance(61_000); // OTP_RESEND_COOLDOWN (60 s) has passed
    await burst();
    expect(t.mail.to('again@example.com')).toHaveLength(2);
    const second = await t.mail.code('again@example.com', /verification code/, 1);
    if (second !== first)
      await t
        .http()
        .post('/api/v1/auth/verify-email')
        .send({ email: 'again@example.com', code: first })
        .expect(400);
    await t
      .http()
      .post('/api/v1/auth/verify-email')
      .send({ email: 'again@example.com', code: second })
      .expect(200);
  });

  it('answers a re-registration of a pending email exactly as a new sign-up (no id, no timestamps, nothing kept)', async () => {
    const register = (email: string, extra: object = {}) =>
      t
        .http()
        .post('/api/v1/auth/register')
        .send({ email, password: PASSWORD, ...extra });
    await register('older@example.com', { firstName: 'Squatter', username: 'squatter' }).expect(
      201,
    );
    t.clock.advance(3_600_000);
    const [fresh, ...again] = await Promise.all([
      register('newcomer@example.com'),
      ...Array.from({ length: 20 }, () => register('older@example.com')),
    ]);
    const expected = { ...fresh.body.user, email: undefined };
    expect(expected).toEqual({
      role: 'user',
      status: 'pending',
      emailVerified: false,
      twoFactorEnabled: false,
    });
    for (const r of [fresh, ...again]) expect(r.status).toBe(201);
    for (const r of again)
      expect(r.body).toEqual({ user: { ...expected, email: 'older@example.com' } });
    expect(Object.keys(fresh.headers).sort()).toEqual(Object.keys(again[0].headers).sort());
    // Nor in the account: the squatter's name and username went with their password.
    const stored = await t.db.collection('users').findOne({ email: 'older@example.com' });
    expect(stored).not.toHaveProperty('firstName');
    expect(stored).not.toHaveProperty('username');
  });

  it('lets exactly one of two concurrent registrations of one address succeed', async () => {
    const results = await Promise.all(
      [1, 2].map(() =>
        t
          .http()
          .post('/api/v1/auth/register')
          .send({ email: 'twin@example.com', password: PASSWORD }),
      ),
    );
    for (const r of results) expect([201, 409]).toContain(r.status);
    expect(await t.db.collection('users').countDocuments({ email: 'twin@example.com' })).toBe(1);
  });

  it.each([
    ['too short', 'short pass'],
    ['too long', 'x'.repeat(129)],
    ['common', 'password1234'],
  ])('refuses a %s password with 400 naming the field', async (_, password) => {
    const res = await t
      .http()
      .post('/api/v1/auth/register')
      .send({ email: 'weak@example.com', password })
      .expect(400);
    expect(res.body.errors[0].field).toBe('password');
  });

  it('refuses mass assignment and operator injection', async () => {
    const mass = await t
      .http()
      .post('/api/v1/auth/register')
      .send({
        email: 'mass@example.com',
        password: PASSWORD,
        role: 'admin',
        status: 'active',
        emailVerified: true,
      })
      .expect(400);
    expect(mass.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'emailVerified',
      'role',
      'status',
    ]);
    await t
      .http()
      .post('/api/v1/auth/register')
      .send({ email: { $ne: null }, password: PASSWORD })
      .expect(400);
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: { $ne: null }, password: PASSWORD })
      .expect(400);
    const operator = await t
      .http()
      .post('/api/v1/auth/verify-email')
      .send({ email: 'ada@example.com', code: { $ne: null } })
      .expect(400);
    expect(operator.body.code).toBe('validation_failed');
    expect(operator.body.errors.length).toBeGreaterThan(0);
    expect(operator.body.errors.map((e: { field: string }) => e.field)).toEqual(
      operator.body.errors.map(() => 'code'),
    );
  });

  describe('codes', () => {
    it('expires after OTP_TTL (moved clock, no sleeping)', async () => {
      await t
        .http()
        .post('/api/v1/auth/register')
        .send({ email: 'late@example.com', password: PASSWORD })
        .expect(201);
      const code = await t.mail.code('late@example.com', /verification code/);
      t.clock.advance(5 * 60_000 + 1000);
      const res = await t
        .http()
        .post('/api/v1/auth/verify-email')
        .send({ email: 'late@example.com', code })
        .expect(400);
      expect(res.body.code).toBe('otp_expired');
    });

    it('is burnt after 5 wrong tries, and a resend does not reset the budget', async () => {
      await t
        .http()
        .post('/api/v1/auth/register')
        .send({ email: 'guess@example.com', password: PASSWORD })
        .expect(201);
      const code = await t.mail.code('guess@example.com', /verification code/);
      const wrong = code === '000000' ? '000001' : '000000';
      for (let i = 0; i < 4; i++) {
        const res = await t
          .http()
          .post('/api/v1/auth/verify-email')
          .send({ email: 'guess@example.com', code: wrong })
          .expect(400);
        expect(res.body.code).toBe('invalid_otp');
      }
      const fifth = await t
        .http()
        .post('/api/v1/auth/verify-email')
        .send({ email: 'guess@example.com', code: wrong })
        .expect(429);
      expect(fifth.body.code).toBe('too_many_attempts');
      expect(Number(fifth.headers['retry-after'])).toBeGreaterThan(800); // the failure window (LOCKOUT_DURATION) runs
      await t
        .http()
        .post('/api/v1/auth/verify-email')
        .send({ email: 'guess@example.com', code })
        .expect(429);

      t.clock.advance(61_000);
      const before = t.mail.to('guess@example.com').length;
      await t
        .http()
        .post('/api/v1/auth/resend-otp')
        .send({ email: 'guess@example.com', purpose: 'verify_email' })
        .expect(202);
      const fresh = await t.mail.code('guess@example.com', /verification code/, before);
      await t
        .http()
        .post('/api/v1/auth/verify-email')
        .send({ email: 'guess@example.com', code: fresh })
        .expect(429);
    });

    it('sends at most one code per cooldown and answers 202 for unknown emails', async () => {
      await t
        .http()
        .post('/api/v1/auth/register')
        .send({ email: 'resend@example.com', password: PASSWORD })
        .expect(201);
      await t.mail.code('resend@example.com', /verification code/);
      const before = t.mail.to('resend@example.com').length;
      await t
        .http()
        .post('/api/v1/auth/resend-otp')
        .send({ email: 'resend@example.com', purpose: 'verify_email' })
        .expect(202);
      await t
        .http()
        .post('/api/v1/auth/resend-otp')
        .send({ email: 'nobody@example.com', purpose: 'verify_email' })
        .expect(202);
      await t.settle();
      expect(t.mail.to('resend@example.com')).toHaveLength(before);
      t.clock.advance(61_000);
      await t
        .http()
        .post('/api/v1/auth/resend-otp')
        .send({ email: 'resend@example.com', purpose: 'verify_email' })
        .expect(202);
      await t.mail.waitFor('resend@example.com', /verification code/, { after: before });
    });

    it('is good only for the account it was issued to', async () => {
      await t
        .http()
        .post('/api/v1/auth/register')
        .send({ email: 'a1@example.com', password: PASSWORD })
        .expect(201);
      await t
        .http()
        .post('/api/v1/auth/register')
        .send({ email: 'a2@example.com', password: PASSWORD })
        .expect(201);
      const code1 = await t.mail.code('a1@example.com', /verification code/);
      const code2 = await t.mail.code('a2@example.com', /verification code/);
      if (code1 !== code2)
        await t
          .http()
          .post('/api/v1/auth/verify-email')
          .send({ email: 'a2@example.com', code: code1 })
          .expect(400);
    });

    it('purges expired codes with the scheduled job, idempotently', async () => {
      t.clock.advance(24 * 3_600_000);
      const otps = t.app.get(OtpService);
      await otps.purgeExpired();
      expect(await otps.purgeExpired()).toBe(0);
      expect(
        await t.db.collection('otps').countDocuments({ expiresAt: { $lte: t.clock.now() } }),
      ).toBe(0);
    });
  });
});
