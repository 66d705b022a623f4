import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { upload } from './support/asset-helpers';
import { auditEntries, bearer, Pair, PASSWORD, signUp } from './support/auth-helpers';
import { ADMIN, ADMIN_ENV, grantRole, login, member } from './support/admin-helpers';
import { png } from './support/files';
import { createTestApp, TestApp } from './support/test-app';

/** Made by passlib, argon2-cffi, bcrypt, firebase-scrypt and hashlib (make_fixtures.py there). */
const FIXTURES = join(__dirname, 'fixtures', 'legacy-hashes');
const fixtureFile = readFileSync(join(FIXTURES, 'users.ndjson'), 'utf8');
const legacyPasswords = JSON.parse(
  readFileSync(join(FIXTURES, 'passwords.json'), 'utf8'),
) as Record<string, string>;

const lines = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('User export', () => {
  let source: TestApp;
  let admin: Pair;
  /** Every account with a password in the source, and that password. */
  const passwords = new Map<string, string>();

  beforeAll(async () => {
    source = await createTestApp({ ...ADMIN_ENV, EXPORT_PASSWORD_HASHES: 'true' });
    admin = await login(source, ADMIN.email, ADMIN.password);
    passwords.set(ADMIN.email, ADMIN.password);
    for (const email of ['ann@example.com', 'bob@example.com']) {
      await signUp(source, email);
      passwords.set(email, PASSWORD);
    }
    await source
      .http()
      .post('/api/v1/admin/users/import')
      .set(bearer(admin))
      .set('Content-Type', 'application/x-ndjson')
      .send(fixtureFile)
      .expect(200);
    for (const [email, password] of Object.entries(legacyPasswords)) passwords.set(email, password);
    // One legacy user signs in before the move (now our hash), the others move with theirs.
    await login(source, 'django@legacy.example.com', legacyPasswords['django@legacy.example.com']);
    await source
      .http()
      .post('/api/v1/admin/users')
      .set(bearer(admin))
      .send({ email: 'guest@example.com' })
      .expect(201);
  });
  afterAll(() => source.close());

  const exportAs = (t: TestApp, pair: Pair, query = '') =>
    t.http().get(`/api/v1/admin/users/export${query}`).set(bearer(pair)).buffer(true);

  it('without passwordHashes no hash leaves; filters as the list; hashes need their permission', async () => {
    const plainExport = await exportAs(source, admin).expect(200);
    expect(plainExport.text).not.toMatch(/passwordHash|hs256-|legacy-/);
    const invited = lines((await exportAs(source, admin, '?status=invited').expect(200)).text);
    expect(invited.map((u) => u.email)).toEqual(['guest@example.com']);
    const searched = lines((await exportAs(source, admin, '?search=ann').expect(200)).text);
    expect(searched.map((u) => u.email)).toEqual(['ann@example.com']);
    await exportAs(source, admin, '?status=zombie').expect(400);

    await source
      .http()
      .post('/api/v1/admin/roles')
      .set(bearer(admin))
      .send({ name: 'auditor', permissions: ['users:read'] })
      .expect(201);
    const auditor = await member(source, 'auditor@example.com');
    passwords.set('auditor@example.com', PASSWORD);
    await grantRole(source, admin, auditor.user.id, 'auditor');
    await exportAs(source, auditor).expect(200);
    const denied = await exportAs(source, auditor, '?passwordHashes=true').expect(403);
    expect(denied.body.code).toBe('hash_export_forbidden');
    const plain = await member(source, 'plain@example.com');
    passwords.set('plain@example.com', PASSWORD);
    await exportAs(source, plain).expect(403);
    await source.http().get('/api/v1/admin/users/export').expect(401);
    expect((await auditEntries(source, 'users.exported')).length).toBeGreaterThan(0);
  });

  it('a user downloads their own data: profile, sessions, identities, assets, audit entries', async () => {
    const ann = await login(source, 'ann@example.com');
    await upload(source, ann, png(4, 4), 'me.png').expect(201);
    const res = await source
      .http()
      .get('/api/v1/users/me/export')
      .set(bearer(ann))
      .buffer(true)
      .parse((response, done) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => done(null, text));
      })
      .expect(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const text = res.body as string;
    expect(text).not.toMatch(/passwordHash|hs256-|codeHash|refreshToken/);
    const doc = JSON.parse(text) as Record<string, unknown[]> & { profile: { email: string } };
    expect(doc.profile.email).toBe('ann@example.com');
    expect(doc.sessions.length).toBeGreaterThan(0);
    expect(doc.identities).toEqual([]);
    expect(doc.assets).toHaveLength(1);
    const actions = (doc.auditEntries as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.registered', 'auth.login.succeeded']));
    const ids = (doc.auditEntries as { id: string }[]).map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);

    await source.http().get('/api/v1/users/me/export').expect(401);
  });
  it('export, import into a fresh database: every user signs in with the same password', async () => {
    const res = await exportAs(source, admin, '?passwordHashes=true').expect(200);
    expect(res.headers['content-type']).toMatch(/application\/x-ndjson/);
    const exported = lines(res.text);
    expect(exported.map((u) => u.email).sort()).toEqual(
      [...passwords.keys(), 'guest@example.com'].sort(),
    );
    expect(exported.find((u) => u.email === 'guest@example.com')).not.toHaveProperty(
      'passwordHash',
    );

    // Last: a second app in this process takes over what the first had set in the environment.
    const target = await createTestApp({ ...ADMIN_ENV, EXPORT_PASSWORD_HASHES: 'false' });
    try {
      const targetAdmin = await login(target, ADMIN.email, ADMIN.password);
      // Custom roles are not part of the export: the target defines its own.
      await target
        .http()
        .post('/api/v1/admin/roles')
        .set(bearer(targetAdmin))
        .send({ name: 'auditor', permissions: ['users:read'] })
        .expect(201);
      const report = await target
        .http()
        .post('/api/v1/admin/users/import')
        .set(bearer(targetAdmin))
        .set('Content-Type', 'application/x-ndjson')
        .send(res.text)
        .expect(200);
      // The bootstrap admin exists there already; the invited guest is invited again.
      expect(report.body).toMatchObject({
        created: exported.length - 1,
        skipped: 1,
        invited: 1,
        refusedCount: 0,
        refused: [],
      });
      for (const [email, password] of passwords) await login(target, email, password);
      await target.mail.waitFor('guest@example.com', /invited/);

      // Hashes are off there (the default): asking for them is refused.
      const off = await exportAs(target, targetAdmin, '?passwordHashes=true').expect(403);
      expect(off.body.code).toBe('hash_export_disabled');
    } finally {
      await target.close();
    }
  }, 60_000);
});
