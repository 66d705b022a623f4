import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Types } from 'mongoose';
import { DomainEvents } from '../src/common/events/domain-event';
import { listen, streamUpload, upload } from './support/asset-helpers';
import { auditEntries, bearer, Pair, PASSWORD, signIn, signUp } from './support/auth-helpers';
import {
  elf,
  gif,
  HTML,
  jpeg,
  pdf,
  png,
  PNG_POLYGLOT,
  SCRIPT,
  SVG,
  SVG_WITH_PROLOG,
  webp,
  zip,
} from './support/files';
import { createTestApp, TestApp } from './support/test-app';

const MAX_BYTES = 256 * 1024;
const ADMIN = { email: 'assets-admin@example.com', password: 'assets admin password 1' };

/** Every file under the store, as `<owner>/<name>` (empty folders are not files). */
function storedFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

describe('Assets on the local store', () => {
  let t: TestApp;
  let dir: string;
  let ada: Pair;
  let bob: Pair;
  let admin: Pair;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'assets-e2e-'));
    t = await createTestApp({
      ASSET_DIR: dir,
      ASSET_MAX_BYTES: String(MAX_BYTES),
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    });
    await signUp(t, 'ada@example.com');
    await signUp(t, 'bob@example.com');
    [ada, bob, admin] = await Promise.all([
      signIn(t, 'ada@example.com'),
      signIn(t, 'bob@example.com'),
      signIn(t, ADMIN.email, ADMIN.password),
    ]);
  });
  afterAll(() => t.close());

  const records = (filter: Record<string, unknown> = {}) =>
    t.db.collection('assets').find(filter).toArray();

  describe('upload', () => {
    it('stores an image with its size and serves it back with its type', async () => {
      const bytes = png(64, 48);
      const res = await upload(t, ada, bytes, '../../holiday.png').expect(201);
      expect(res.body).toMatchObject({
        ownerId: ada.user.id,
        fileName: 'holiday.png',
        mimeType: 'image/png',
        bytes: bytes.length,
        width: 64,
        height: 48,
      });
      expect(res.body.url).toBe(`/files/${res.body.publicId}`);
      expect(res.body.publicId).toBe(`${ada.user.id}/${res.body.id}.png`);
      expect(storedFiles(dir)).toContain(res.body.publicId);

      const file = await t.http().get(res.body.url).expect(200);
      expect(Buffer.compare(file.body as Buffer, bytes)).toBe(0);
      expect(file.headers).toMatchObject({
        'content-type': 'image/png',
        'x-content-type-options': 'nosniff',
        'cross-origin-resource-policy': 'cross-origin',
      });
      expect(file.headers['content-security-policy']).toMatch(/sandbox/);
      expect(file.headers['content-disposition']).toBeUndefined();
    });

    it.each([
      ['jpeg', jpeg(30, 20), 'photo.jpeg', 'image/jpeg', 'photo.jpeg.jpg'],
      ['gif', gif(30, 20), 'anim.gif', 'image/gif', 'anim.gif'],
      ['webp', webp(30, 20), 'pic.webp', 'image/webp', 'pic.webp'],
    ])('accepts a %s and reads its size', async (_, bytes, name, mimeType, fileName) => {
      const res = await upload(t, ada, bytes, name).expect(201);
      expect(res.body).toMatchObject({ mimeType, fileName, width: 30, height: 20 });
    });

    it('serves a PDF as an attachment under its sanitised name', async () => {
      const res = await upload(t, ada, pdf(), 'Résumé "final".pdf', {
        contentType: 'application/octet-stream',
      }).expect(201);
      expect(res.body).toMatchObject({
        mimeType: 'application/pdf',
        fileName: 'Résumé _final_.pdf',
      });
      expect(res.body.width).toBeUndefined();
      const file = await t.http().get(res.body.url).expect(200);
      expect(file.headers['content-type']).toBe('application/pdf');
      expect(file.headers['content-disposition']).toBe(
        `attachment; filename="R_sum_ _final_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20_final_.pdf`,
      );
    });

    it.each([
      ['a script named x.png', SCRIPT, 'x.png'],
      ['a PNG signature in front of a script', PNG_POLYGLOT, 'x.png'],
      ['an SVG carrying a script', SVG, 'logo.svg'],
      ['an HTML page named as a PDF', HTML, 'doc.pdf'],
      // Types the sniffer recognises (XML, ELF, ZIP): only the allow-list refuses them.
      ['an SVG with an <?xml prolog (sniffed as XML)', SVG_WITH_PROLOG, 'logo.svg'],
      ['an ELF executable named as an image', elf(), 'photo.jpg'],
      ['a ZIP archive named as a PDF', zip(), 'doc.pdf'],
      ['an empty file', Buffer.alloc(0), 'empty.png'],
      ['a PNG cut short inside its header', png(10, 10).subarray(0, 20), 'cut.png'],
    ])('refuses %s with 415, decided from its bytes, and keeps nothing', async (_, bytes, name) => {
      const before = storedFiles(dir);
      const res = await upload(t, bob, bytes, name, { contentType: 'image/png' }).expect(415);
      expect(res.body.code).toBe('unsupported_file_type');
      expect(storedFiles(dir)).toEqual(before);
      expect(await records({ ownerId: toId(bob.user.id) })).toHaveLength(0);
    });

    it('answers 413 with the limit, keeps nothing, and stays healthy', async () => {
      const res = await upload(t, bob, png(8, 8, MAX_BYTES)).expect(413);
      expect(res.body).toMatchObject({ code: 'file_too_large' });
      expect(res.body.detail).toContain(String(MAX_BYTES));
      expect(await records({ ownerId: toId(bob.user.id) })).toHaveLength(0);
      expect(storedFiles(dir).filter((f) => f.startsWith(bob.user.id))).toEqual([]);
      // exactly at the limit is fine
      const fits = png(8, 8, 0);
      const exact = png(8, 8, MAX_BYTES - fits.length - 12);
      expect(exact.length).toBe(MAX_BYTES);
      await upload(t, bob, exact).expect(201);
    });

    it('answers 413 while the client is still sending, closes the connection, and leaves nothing half-written', async () => {
      const port = await listen(t);
      const connections: Socket[] = [];
      const onConnection = (socket: Socket) => connections.push(socket);
      t.app.getHttpServer().on('connection', onConnection);
      const head = png(16, 16, 10_000);
      const before = storedFiles(dir);
      const intended = 128 * 1024 * 1024;
      const result = await streamUpload(port, ada.accessToken, head, intended);
      t.app.getHttpServer().off('connection', onConnection);
      expect(result.status).toBe(413);
      expect(result.body.code).toBe('file_too_large');
      expect(result.connection).toBe('close');
      // The server stopped reading just past the limit (socket buffers aside), long before the
      // 128 MiB the client meant to send.
      expect(connections).toHaveLength(1);
      expect(connections[0].bytesRead).toBeLessThan(MAX_BYTES + 8 * 1024 * 1024);
      expect(result.sentBeforeAnswer).toBeLessThan(intended / 2);
      expect(storedFiles(dir)).toEqual(before);
      expect(await records({ status: 'pending' })).toHaveLength(0);
      await t.http().get('/health/live').expect(200);
      await upload(t, ada, png(2, 2)).expect(201);
    });

    it('refuses a second part, a wrong field name, a missing file and a JSON body', async () => {
      const extra = await t
        .http()
        .post('/api/v1/assets')
        .set(bearer(bob))
        .attach('file', png(2, 2), 'a.png')
        .field('ownerId', ada.user.id)
        .expect(400);
      expect(extra.body.errors).toEqual([
        { field: 'ownerId', message: 'is not an accepted field' },
      ]);
      const wrong = await upload(t, bob, png(2, 2), 'a.png', { field: 'upload' }).expect(400);
      expect(wrong.body.errors[0].field).toBe('upload');
      const none = await t.http().post('/api/v1/assets').set(bearer(bob)).field('x', '1');
      expect(none.status).toBe(400);
      await t.http().post('/api/v1/assets').set(bearer(bob)).send({ file: 'x' }).expect(415);
      expect(await records({ ownerId: toId(bob.user.id), status: { $ne: 'ready' } })).toEqual([]);
      const malformed = await t
        .http()
        .post('/api/v1/assets')
        .set(bearer(bob))
        .set('content-type', 'multipart/form-data')
        .send('no boundary here');
      expect(malformed.status).toBe(400);
    });

    it('keeps multipart out of every route that does not take a file (415)', async () => {
      const res = await t
        .http()
        .post('/api/v1/auth/login')
        .field('email', 'ada@example.com')
        .field('password', 'whatever password')
        .expect(415);
      expect(res.body.code).toBe('unsupported_media_type');
      await t
        .http()
        .post('/api/v1/admin/assets/bulk-delete')
        .set(bearer(admin))
        .field('ids', ada.user.id)
        .expect(415);
    });

    it('needs a signed-in caller', async () => {
      await t.http().post('/api/v1/assets').attach('file', png(2, 2), 'a.png').expect(401);
      await t.http().get('/api/v1/assets').expect(401);
      await t
        .http()
        .put('/api/v1/users/me/avatar')
        .attach('avatar', png(2, 2), 'a.png')
        .expect(401);
    });

    it('audits uploads', async () => {
      const entries = await auditEntries(t, 'assets.uploaded');
      expect(entries.length).toBeGreaterThan(0);
      expect(entries[0]).toMatchObject({
        actorId: ada.user.id,
        targetType: 'asset',
        outcome: 'success',
      });
    });
  });

  describe('own assets', () => {
    let carol: Pair;
    const ids: string[] = [];
    beforeAll(async () => {
      await signUp(t, 'carol@example.com');
      carol = await signIn(t, 'carol@example.com');
      for (let i = 0; i < 3; i++) {
        t.clock.advance(1000);
        ids.push((await upload(t, carol, png(2, 2), `c${i}.png`).expect(201)).body.id);
      }
    });

    it("lists only the caller's assets, newest first, a page at a time", async () => {
      const first = await t.http().get('/api/v1/assets?limit=2').set(bearer(carol)).expect(200);
      expect(first.body).toMatchObject({ total: 3, page: 1, limit: 2 });
      expect(first.body.items.map((a: { id: string }) => a.id)).toEqual([ids[2], ids[1]]);
      const second = await t
        .http()
        .get('/api/v1/assets?limit=2&page=2')
        .set(bearer(carol))
        .expect(200);
      expect(second.body.items.map((a: { id: string }) => a.id)).toEqual([ids[0]]);
      await t.http().get('/api/v1/assets?limit=101').set(bearer(carol)).expect(400);
      await t.http().get('/api/v1/assets?page=0').set(bearer(carol)).expect(400);
    });

    it("answers 404 for another user's asset, to read or to delete", async () => {
      await t.http().get(`/api/v1/assets/${ids[0]}`).set(bearer(carol)).expect(200);
      const read = await t.http().get(`/api/v1/assets/${ids[0]}`).set(bearer(bob)).expect(404);
      expect(read.body.code).toBe('not_found');
      await t.http().delete(`/api/v1/assets/${ids[0]}`).set(bearer(bob)).expect(404);
      await t.http().get('/api/v1/assets/not-an-id').set(bearer(carol)).expect(404);
      await t.http().get(`/api/v1/assets/${ids[0]}`).set(bearer(carol)).expect(200);
    });

    it('deletes an asset from storage too, and audits it', async () => {
      const asset = (await t.http().get(`/api/v1/assets/${ids[0]}`).set(bearer(carol))).body;
      expect(storedFiles(dir)).toContain(asset.publicId);
      await t.http().delete(`/api/v1/assets/${ids[0]}`).set(bearer(carol)).expect(204);
      expect(storedFiles(dir)).not.toContain(asset.publicId);
      await t.http().get(asset.url).expect(404);
      await t.http().get(`/api/v1/assets/${ids[0]}`).set(bearer(carol)).expect(404);
      await t.http().delete(`/api/v1/assets/${ids[0]}`).set(bearer(carol)).expect(404);
      const entries = await auditEntries(t, 'assets.deleted');
      expect(entries.map((e) => e.targetId)).toContain(ids[0]);
    });

    it('refuses direct uploads on the local store (409)', async () => {
      const res = await t.http().post('/api/v1/assets/uploads').set(bearer(carol)).expect(409);
      expect(res.body.code).toBe('direct_upload_unavailable');
      const complete = await t
        .http()
        .post('/api/v1/assets/uploads/complete')
        .set(bearer(carol))
        .send({ publicId: `users/${carol.user.id}/${ids[1]}` });
      expect([404, 409]).toContain(complete.status);
    });
  });

  describe('the /files route', () => {
    let asset: { url: string; publicId: string; id: string };
    beforeAll(async () => {
      asset = (await upload(t, ada, png(3, 3), 'served.png').expect(201)).body;
      writeFileSync(join(dir, 'secret.txt'), 'not for the web');
    });

    it.each([
      '/files/secret.txt',
      '/files/../package.json',
      '/files/..%2F..%2Fpackage.json',
      '/files/%2e%2e/%2e%2e%2fpackage.json',
      '/files/x/..%2f..%2fsecret.txt',
      '/files/000000000000000000000000/..%2Fsecret.txt',
    ])('never leaves ASSET_DIR: %s is 404', async (path) => {
      const res = await t.http().get(path);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('not for the web');
    });

    it('serves only what a ready record names', async () => {
      const [owner, name] = asset.publicId.split('/');
      await t
        .http()
        .get(`/files/${owner}/${name.replace('.png', '.gif')}`)
        .expect(404);
      await t.http().get(`/files/${owner}/${name}%00.txt`).expect(404);
      await t.db
        .collection('assets')
        .updateOne({ key: asset.publicId }, { $set: { status: 'pending' } });
      await t.http().get(asset.url).expect(404);
      await t.db
        .collection('assets')
        .updateOne({ key: asset.publicId }, { $set: { status: 'ready' } });
      await t.http().get(asset.url).expect(200);
    });
  });

  describe('admin', () => {
    let dave: Pair;
    const daves: string[] = [];
    beforeAll(async () => {
      await signUp(t, 'dave@example.com');
      dave = await signIn(t, 'dave@example.com');
      for (let i = 0; i < 4; i++)
        daves.push((await upload(t, dave, gif(4, 4), `d${i}.gif`).expect(201)).body.id);
    });

    it("lists every asset, or one owner's", async () => {
      const all = await t
        .http()
        .get('/api/v1/admin/assets?limit=100')
        .set(bearer(admin))
        .expect(200);
      const owners = new Set(all.body.items.map((a: { ownerId: string }) => a.ownerId));
      for (const user of [ada, bob, dave]) expect(owners).toContain(user.user.id);
      const only = await t
        .http()
        .get(`/api/v1/admin/assets?ownerId=${dave.user.id}`)
        .set(bearer(admin))
        .expect(200);
      expect(only.body.total).toBe(4);
      await t.http().get('/api/v1/admin/assets?ownerId=nope').set(bearer(admin)).expect(400);
    });

    it('is 403 without the permission and 401 without a token', async () => {
      await t.http().get('/api/v1/admin/assets').set(bearer(dave)).expect(403);
      await t.http().delete(`/api/v1/admin/assets/${daves[0]}`).set(bearer(dave)).expect(403);
      await t
        .http()
        .post('/api/v1/admin/assets/bulk-delete')
        .set(bearer(dave))
        .send({ ids: [daves[0]] })
        .expect(403);
      await t.http().get('/api/v1/admin/assets').expect(401);
      expect(await records({ ownerId: toId(dave.user.id) })).toHaveLength(4);
    });

    it('deletes any asset, from storage too, and audits it', async () => {
      const key = `${dave.user.id}/${daves[0]}.gif`;
      expect(storedFiles(dir)).toContain(key);
      await t.http().delete(`/api/v1/admin/assets/${daves[0]}`).set(bearer(admin)).expect(204);
      expect(storedFiles(dir)).not.toContain(key);
      await t.http().delete(`/api/v1/admin/assets/${daves[0]}`).set(bearer(admin)).expect(404);
      const entries = await auditEntries(t, 'assets.deleted_by_admin');
      expect(entries[0]).toMatchObject({ actorId: admin.user.id, targetId: daves[0] });
    });

    it('bulk-deletes, naming the ids it could not find', async () => {
      const missing = '0123456789abcdef01234567';
      const res = await t
        .http()
        .post('/api/v1/admin/assets/bulk-delete')
        .set(bearer(admin))
        .send({ ids: [daves[1], daves[2], daves[2], missing, daves[0]] })
        .expect(200);
      expect(res.body).toEqual({ deleted: [daves[1], daves[2]], notFound: [missing, daves[0]] });
      expect(storedFiles(dir).filter((f) => f.startsWith(dave.user.id))).toEqual([
        `${dave.user.id}/${daves[3]}.gif`,
      ]);
      const entries = await auditEntries(t, 'assets.bulk_deleted');
      expect(entries[0]).toMatchObject({
        actorId: admin.user.id,
        details: { deleted: [daves[1], daves[2]], notFound: [missing, daves[0]] },
      });
    });

    it('refuses a bulk of more than 100 ids, none, or ones that are not ids', async () => {
      const many = Array.from({ length: 101 }, (_, i) => i.toString(16).padStart(24, '0'));
      for (const ids of [many, [], ['nope'], 'x'])
        await t
          .http()
          .post('/api/v1/admin/assets/bulk-delete')
          .set(bearer(admin))
          .send({ ids })
          .expect(400);
    });
  });

  describe('avatar', () => {
    let erin: Pair;
    beforeAll(async () => {
      await signUp(t, 'erin@example.com');
      erin = await signIn(t, 'erin@example.com');
    });
    const me = async () => (await t.http().get('/api/v1/assets').set(bearer(erin))).body;

    it('sets, replaces (deleting the old file) and removes the avatar', async () => {
      const first = await upload(t, erin, png(20, 20), 'me.png', {
        field: 'avatar',
        path: '/api/v1/users/me/avatar',
        method: 'put',
      }).expect(200);
      expect(first.body).toMatchObject({ id: erin.user.id, email: 'erin@example.com' });
      const firstUrl = first.body.avatarUrl as string;
      expect(firstUrl).toMatch(/^\/files\//);
      await t.http().get(firstUrl).expect(200);

      const second = await upload(t, erin, gif(5, 5), 'me.gif', {
        field: 'avatar',
        path: '/api/v1/users/me/avatar',
        method: 'put',
      }).expect(200);
      expect(second.body.avatarUrl).not.toBe(firstUrl);
      await t.http().get(firstUrl).expect(404);
      expect(storedFiles(dir)).not.toContain(firstUrl.slice('/files/'.length));
      expect((await me()).items.map((a: { url: string }) => a.url)).toEqual([
        second.body.avatarUrl,
      ]);

      const removed = await t
        .http()
        .delete('/api/v1/users/me/avatar')
        .set(bearer(erin))
        .expect(200);
      expect(removed.body.avatarUrl).toBeUndefined();
      await t.http().get(second.body.avatarUrl).expect(404);
      expect((await me()).total).toBe(0);
      await t.http().delete('/api/v1/users/me/avatar').set(bearer(erin)).expect(200);
    });

    it('takes images only', async () => {
      const res = await upload(t, erin, pdf(), 'me.pdf', {
        field: 'avatar',
        path: '/api/v1/users/me/avatar',
        method: 'put',
      }).expect(415);
      expect(res.body.code).toBe('unsupported_file_type');
      expect((await me()).total).toBe(0);
    });

    it('stops being the avatar when its asset is deleted', async () => {
      const set = await upload(t, erin, png(4, 4), 'me.png', {
        field: 'avatar',
        path: '/api/v1/users/me/avatar',
        method: 'put',
      }).expect(200);
      const [asset] = (await me()).items;
      expect(asset.url).toBe(set.body.avatarUrl);
      await t.http().delete(`/api/v1/assets/${asset.id}`).set(bearer(erin)).expect(204);
      const user = await t.db.collection('users').findOne({ email: 'erin@example.com' });
      expect(user?.avatar).toBeUndefined();
    });
  });

  describe('registration with an avatar', () => {
    const register = (fields: Record<string, string>, avatar?: Buffer, name = 'me.png') => {
      const req = t.http().post('/api/v1/auth/register');
      for (const [key, value] of Object.entries(fields)) void req.field(key, value);
      if (avatar) void req.attach('avatar', avatar, { filename: name, contentType: 'image/png' });
      return req;
    };

    it('creates the account with the avatar from a multipart form', async () => {
      const res = await register(
        {
          email: 'Frank@Example.com',
          password: 'correct horse battery staple',
          firstName: 'Frank',
        },
        jpeg(40, 30),
      ).expect(201);
      expect(res.body.user).toMatchObject({
        email: 'frank@example.com',
        firstName: 'Frank',
        status: 'pending',
      });
      // The sign-up's answer shows no id (an ObjectId dates the account), so no avatar URL either.
      expect(res.body.user.avatarUrl).toBeUndefined();
      const stored = await t.db.collection('users').findOne({ email: 'frank@example.com' });
      expect(stored!.avatar.url).toMatch(/^\/files\/[0-9a-f]{24}\/[0-9a-f]{24}\.jpg$/);
      await t.http().get(stored!.avatar.url).expect(200);
      const [asset] = await records({ ownerId: stored!._id });
      expect(asset).toMatchObject({ status: 'ready', width: 40, height: 30 });
    });

    it("drops a pending sign-up's avatar when the address is registered again without one", async () => {
      await register(
        { email: 'repeat@example.com', password: 'correct horse battery staple' },
        jpeg(20, 20),
      ).expect(201);
      const before = await t.db.collection('users').findOne({ email: 'repeat@example.com' });
      expect(before!.avatar).toBeDefined();
      await register({ email: 'repeat@example.com', password: 'another fine passphrase' }).expect(
        201,
      );
      const after = await t.db.collection('users').findOne({ email: 'repeat@example.com' });
      expect(after!.avatar).toBeUndefined();
      expect(await records({ ownerId: before!._id, status: 'ready' })).toEqual([]);
    });

    it('still takes JSON, and a form without an avatar', async () => {
      await t
        .http()
        .post('/api/v1/auth/register')
        .send({ email: 'json@example.com', password: 'correct horse battery staple' })
        .expect(201);
      const res = await register({
        email: 'form@example.com',
        password: 'correct horse battery staple',
      });
      expect(res.status).toBe(201);
      expect(res.body.user.avatarUrl).toBeUndefined();
      // What a browser sends for a file input left empty: an empty part with an empty file name.
      const boundary = 'empty-file-input';
      const part = (headers: string, body: string) =>
        `--${boundary}\r\nContent-Disposition: form-data; ${headers}\r\n\r\n${body}\r\n`;
      const empty = await t
        .http()
        .post('/api/v1/auth/register')
        .set('content-type', `multipart/form-data; boundary=${boundary}`)
        .send(
          part('name="email"', 'empty-input@example.com') +
            part('name="password"', 'correct horse battery staple') +
            part('name="avatar"; filename=""\r\nContent-Type: application/octet-stream', '') +
            `--${boundary}--\r\n`,
        )
        .expect(201);
      expect(empty.body.user.avatarUrl).toBeUndefined();
    });

    it.each([
      ['a script as the avatar', SCRIPT, 415],
      ['a PDF as the avatar', pdf(), 415],
      ['an avatar over the limit', png(8, 8, MAX_BYTES), 413],
    ])('fails on %s and creates nothing', async (_, avatar, status) => {
      const email = `bad-${status}-${avatar.length}@example.com`;
      const files = storedFiles(dir);
      await register({ email, password: 'correct horse battery staple' }, avatar).expect(status);
      expect(await t.db.collection('users').countDocuments({ email })).toBe(0);
      expect(storedFiles(dir)).toEqual(files);
      expect(t.mail.to(email)).toHaveLength(0);
    });

    it('validates the form fields like JSON ones, unknown and repeated ones included', async () => {
      const weak = await register(
        { email: 'weak@example.com', password: 'short' },
        png(2, 2),
      ).expect(400);
      expect(weak.body.errors[0].field).toBe('password');
      const mass = await register({
        email: 'mass@example.com',
        password: 'correct horse battery staple',
        role: 'admin',
      }).expect(400);
      expect(mass.body.errors).toEqual([{ field: 'role', message: 'is not an accepted field' }]);
      const twice = await t
        .http()
        .post('/api/v1/auth/register')
        .field('email', 'a@example.com')
        .field('email', 'b@example.com')
        .field('password', 'correct horse battery staple')
        .expect(400);
      expect(twice.body.errors[0]).toEqual({ field: 'email', message: 'is given more than once' });
      const long = await register({ email: 'long@example.com', password: 'p'.repeat(2000) }).expect(
        400,
      );
      expect(long.body.errors[0].field).toBe('password');
      expect(await t.db.collection('users').countDocuments({ email: /^(weak|mass|long)@/ })).toBe(
        0,
      );
    });
  });

  describe('user deletion', () => {
    it('DELETE /users/me removes every file and record of the user; repeating the effect is harmless', async () => {
      await signUp(t, 'gone@example.com');
      const gone = await signIn(t, 'gone@example.com');
      await upload(t, gone, png(2, 2)).expect(201);
      await upload(t, gone, pdf(), 'x.pdf').expect(201);
      await upload(t, gone, gif(2, 2), 'a.gif', {
        field: 'avatar',
        path: '/api/v1/users/me/avatar',
        method: 'put',
      }).expect(200);
      expect(storedFiles(dir).filter((f) => f.startsWith(gone.user.id))).toHaveLength(3);
      const others = storedFiles(dir).filter((f) => !f.startsWith(gone.user.id));

      await t
        .http()
        .delete('/api/v1/users/me')
        .set(bearer(gone))
        .send({ password: PASSWORD })
        .expect(204);
      expect(storedFiles(dir).filter((f) => f.startsWith(gone.user.id))).toEqual([]);
      expect(await records({ ownerId: toId(gone.user.id) })).toHaveLength(0);
      expect(storedFiles(dir).filter((f) => !f.startsWith(gone.user.id))).toEqual(others);
      // The finish-deletions job may announce it again.
      await t.app.get(DomainEvents).emitAsync('users.deleting', { userId: gone.user.id });
    });

    it('an admin deleting a user removes their files too', async () => {
      await signUp(t, 'removed@example.com');
      const removed = await signIn(t, 'removed@example.com');
      const asset = (await upload(t, removed, png(2, 2)).expect(201)).body;
      await t
        .http()
        .delete(`/api/v1/admin/users/${removed.user.id}`)
        .set(bearer(admin))
        .expect(204);
      expect(storedFiles(dir)).not.toContain(asset.publicId);
      await t.http().get(asset.url).expect(404);
    });
  });
});

/** Records hold owners as ObjectIds. */
const toId = (id: string) => new Types.ObjectId(id);
