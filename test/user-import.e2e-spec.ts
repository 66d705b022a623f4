import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { auditEntries, bearer, Pair } from './support/auth-helpers';
import { ADMIN, ADMIN_ENV, grantRole, login, member } from './support/admin-helpers';
import { createTestApp, TestApp } from './support/test-app';

/** Made by passlib, argon2-cffi, bcrypt, firebase-scrypt and hashlib (make_fixtures.py there). */
const FIXTURES = join(__dirname, 'fixtures', 'legacy-hashes');
const fixtureFile = readFileSync(join(FIXTURES, 'users.ndjson'), 'utf8');
const passwords = JSON.parse(readFileSync(join(FIXTURES, 'passwords.json'), 'utf8')) as Record<
  string,
  string
>;
const bcryptFixture = (JSON.parse(fixtureFile.split('\n')[0]) as { passwordHash: string })
  .passwordHash;

describe('User import', () => {
  let t: TestApp;
  let admin: Pair;

  beforeAll(async () => {
    t = await createTestApp(ADMIN_ENV);
    admin = await login(t, ADMIN.email, ADMIN.password);
  });
  afterAll(() => t.close());

  const importAs = (pair: Pair, body: string) =>
    t
      .http()
      .post('/api/v1/admin/users/import')
      .set(bearer(pair))
      .set('Content-Type', 'application/x-ndjson')
      .send(body);
  const storedHash = async (email: string) =>
    (await t.db.collection('users').findOne({ email }))?.passwordHash as string;

  it('each user of the foreign fixtures signs in with their old password, then holds our hash', async () => {
    const res = await importAs(admin, fixtureFile).expect(200);
    const count = Object.keys(passwords).length;
    expect(res.body).toEqual({
      created: count,
      skipped: 0,
      invited: 0,
      refusedCount: 0,
      refused: [],
    });

    for (const [email, password] of Object.entries(passwords)) {
      expect(await storedHash(email)).toMatch(/^legacy-/);
      await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email, password: `${password}!` })
        .expect(401);
      const pair = await login(t, email, password);
      expect(pair.user.email).toBe(email);
      expect(await storedHash(email)).toMatch(/^hs256-bcrypt\$/);
      await login(t, email, password); // and again, now with our hash
    }
    const entry = (await auditEntries(t, 'users.imported'))[0];
    expect(entry).toMatchObject({ actorId: admin.user.id, details: { created: count } });
  });

  it('10,000 lines with bad ones mixed in: the counts match, bad lines create nothing, a re-run skips all', async () => {
    const lines: string[] = [];
    const bad = new Set<number>();
    const badLines = [
      '{"email": "broken@bulk.example.com"',
      JSON.stringify({ email: 'not-an-email', emailVerified: true }),
      JSON.stringify({ email: 'x1@bulk.example.com', role: 'wizard', passwordHash: bcryptFixture }),
      JSON.stringify({ email: 'x2@bulk.example.com', passwordHash: '$md5$abc' }),
      JSON.stringify({ email: 'x3@bulk.example.com', extra: 1, passwordHash: bcryptFixture }),
      JSON.stringify({
        email: 'x4@bulk.example.com',
        status: 'zombie',
        passwordHash: bcryptFixture,
      }),
      '[1, 2, 3]',
    ];
    for (let i = 1; i <= 10_000; i += 1) {
      if (i % 10 === 0) {
        bad.add(i);
        lines.push(badLines[(i / 10) % badLines.length]);
      } else {
        lines.push(
          JSON.stringify({
            email: `u${i}@bulk.example.com`,
            emailVerified: true,
            firstName: `U${i}`,
            status: 'active',
            passwordHash: bcryptFixture,
          }),
        );
      }
    }
    const body = `${lines.join('\r\n')}\n`;
    const first = await importAs(admin, body).expect(200);
    expect(first.body).toMatchObject({ created: 9000, skipped: 0, invited: 0, refusedCount: 1000 });
    expect(first.body.refused).toHaveLength(1000);
    expect(new Set(first.body.refused.map((r: { line: number }) => r.line))).toEqual(bad);
    const users = t.db.collection('users');
    expect(await users.countDocuments({ email: /@bulk\.example\.com$/ })).toBe(9000);
    for (const email of ['x1', 'x2', 'x3', 'x4'].map((x) => `${x}@bulk.example.com`))
      expect(await users.findOne({ email })).toBeNull();

    const again = await importAs(admin, body).expect(200);
    expect(again.body).toMatchObject({ created: 0, skipped: 9000, refusedCount: 1000 });
    expect(await users.countDocuments({ email: /@bulk\.example\.com$/ })).toBe(9000);
  }, 120_000);

  it('a user without a hash is invited, accepts and signs in; an over-long line is refused', async () => {
    const long = JSON.stringify({ email: 'long@example.com', firstName: 'x'.repeat(70_000) });
    const res = await importAs(
      admin,
      [JSON.stringify({ email: 'Nohash@Example.com', firstName: 'No' }), long, ''].join('\n'),
    ).expect(200);
    expect(res.body).toMatchObject({ created: 1, invited: 1, refusedCount: 1 });
    expect(res.body.refused).toEqual([{ line: 2, reason: 'line too long' }]);
    const code = await t.mail.code('nohash@example.com', /invited/);
    await t
      .http()
      .post('/api/v1/auth/accept-invitation')
      .send({ email: 'nohash@example.com', code, password: 'a new fine password' })
      .expect(200);
    await login(t, 'nohash@example.com', 'a new fine password');
  });

  it('a users:manage admin cannot import an admin; the route needs users:manage and ndjson', async () => {
    await t
      .http()
      .post('/api/v1/admin/roles')
      .set(bearer(admin))
      .send({ name: 'importer', permissions: ['users:read', 'users:manage'] })
      .expect(201);
    const importer = await member(t, 'importer@example.com');
    await grantRole(t, admin, importer.user.id, 'importer');
    const line = (email: string, role: string) =>
      JSON.stringify({ email, role, passwordHash: bcryptFixture, emailVerified: true });
    const res = await importAs(
      importer,
      [line('boss@example.com', 'admin'), line('staff@example.com', 'user')].join('\n'),
    ).expect(200);
    expect(res.body).toMatchObject({ created: 1, refusedCount: 1 });
    expect(res.body.refused[0]).toMatchObject({ line: 1 });
    expect(await t.db.collection('users').findOne({ email: 'boss@example.com' })).toBeNull();

    const plain = await member(t, 'plain@example.com');
    await importAs(plain, line('p@example.com', 'user')).expect(403);
    await t
      .http()
      .post('/api/v1/admin/users/import')
      .set('Content-Type', 'application/x-ndjson')
      .send(line('q@example.com', 'user'))
      .expect(401);
    const json = await t
      .http()
      .post('/api/v1/admin/users/import')
      .set(bearer(admin))
      .send({ email: 'r@example.com' })
      .expect(415);
    expect(json.body.code).toBe('unsupported_media_type');
    // Elsewhere an ndjson body is 415 before anything reads it.
    await t
      .http()
      .post('/api/v1/admin/users')
      .set(bearer(admin))
      .set('Content-Type', 'application/x-ndjson')
      .send(line('s@example.com', 'user'))
      .expect(415);
  });

  it('npm run import-users streams a file to the route with an admin token', async () => {
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const file = join(tmpdir(), `import-${process.pid}.ndjson`);
    const lines = ['cli1', 'cli2'].map((name) =>
      JSON.stringify({
        email: `${name}@example.com`,
        emailVerified: true,
        passwordHash: bcryptFixture,
      }),
    );
    writeFileSync(file, `${lines.join('\n')}\n`);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        'scripts/import-users.mjs',
        file,
        '--url',
        `http://127.0.0.1:${port}`,
        '--token',
        admin.accessToken,
      ],
      { cwd: join(__dirname, '..') },
    );
    expect(JSON.parse(stdout)).toMatchObject({ created: 2, refusedCount: 0 });
    await login(t, 'cli1@example.com', passwords['bcrypt-2b@legacy.example.com']);
  });
});
