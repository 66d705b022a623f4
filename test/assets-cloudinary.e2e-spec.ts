import { Types } from 'mongoose';
import { AssetsService } from '../src/assets/assets.service';
import { AssetStorage } from '../src/assets/storage/asset-storage';
import { listen, streamUpload, upload } from './support/asset-helpers';
import { auditEntries, bearer, Pair, signIn, signUp } from './support/auth-helpers';
import { CloudinaryFake } from './support/cloudinary-fake';
import { gif, pdf, png, SCRIPT } from './support/files';
import { createTestApp, TestApp } from './support/test-app';

const MAX_BYTES = 128 * 1024;
const ADMIN = { email: 'cloud-admin@example.com', password: 'cloud admin password 1' };

/** Posts a browser's form (the signed fields and the file) straight to the upload URL. */
async function browserUpload(
  ticket: { uploadUrl: string; fields: Record<string, string> },
  bytes: Buffer,
  fileName: string,
  override: Record<string, string> = {},
) {
  const form = new FormData();
  for (const [key, value] of Object.entries({ ...ticket.fields, ...override }))
    form.append(key, value);
  form.append('file', new Blob([new Uint8Array(bytes)]), fileName);
  const res = await fetch(ticket.uploadUrl, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('Assets on Cloudinary (the real SDK against a local stand-in)', () => {
  const fake = new CloudinaryFake();
  let t: TestApp;
  let ada: Pair;
  let bob: Pair;
  let admin: Pair;

  beforeAll(async () => {
    await fake.start();
    t = await createTestApp({
      ASSET_STORAGE: 'cloudinary',
      CLOUDINARY_URL: fake.url(),
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
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  const records = (filter: Record<string, unknown> = {}) =>
    t.db.collection('assets').find(filter).toArray();
  const refused = () => fake.requests.filter((r) => r.status === 401);

  describe('server uploads', () => {
    it("streams a signed upload into the owner's folder and records the secure URL and public id", async () => {
      const bytes = png(32, 24);
      const res = await upload(t, ada, bytes, 'pic.png').expect(201);
      expect(res.body).toMatchObject({
        ownerId: ada.user.id,
        publicId: `users/${ada.user.id}/${res.body.id}`,
        mimeType: 'image/png',
        bytes: bytes.length,
        width: 32,
        height: 24,
        fileName: 'pic.png',
      });
      expect(res.body.url).toMatch(
        new RegExp(`^https://res\\.cloudinary\\.com/${fake.cloudName}/image/upload/v\\d+/users/`),
      );
      const stored = fake.resources.get(res.body.publicId);
      expect(Buffer.compare(stored!.bytes, bytes)).toBe(0);
      expect(refused()).toEqual([]);
      expect(fake.signedStrings.at(-1)).toMatch(/^overwrite=0&public_id=users\//);
    });

    it('deletes with destroy: gone from Cloudinary too', async () => {
      const res = await upload(t, ada, gif(2, 2), 'x.gif').expect(201);
      expect(fake.resources.has(res.body.publicId)).toBe(true);
      await t.http().delete(`/api/v1/assets/${res.body.id}`).set(bearer(ada)).expect(204);
      expect(fake.resources.has(res.body.publicId)).toBe(false);
      expect(fake.requests.at(-1)).toMatchObject({ action: 'destroy', status: 200 });
    });

    it('refuses a script before anything reaches Cloudinary (415)', async () => {
      const before = fake.requests.length;
      await upload(t, ada, SCRIPT, 'x.png').expect(415);
      expect(fake.requests.length).toBe(before);
    });

    it('drops the upload when the size passes the limit mid-stream: nothing stored, no record', async () => {
      const port = await listen(t);
      const resources = fake.resources.size;
      const result = await streamUpload(port, bob.accessToken, png(8, 8, 10_000), 32 * 1024 * 1024);
      expect(result.status).toBe(413);
      expect(fake.resources.size).toBe(resources);
      expect(await records({ ownerId: new Types.ObjectId(bob.user.id) })).toEqual([]);
      await upload(t, bob, png(2, 2)).expect(201);
    });

    it('leaves no record when Cloudinary fails mid-upload (503), and none when it answers 500', async () => {
      fake.failNextUpload('reset');
      const reset = await upload(t, bob, png(40, 40, 50_000)).expect(503);
      expect(reset.body.code).toBe('storage_unavailable');
      expect(JSON.stringify(reset.body)).not.toMatch(/cloudinary|127\.0\.0\.1|socket/i);
      fake.failNextUpload('error');
      await upload(t, bob, png(4, 4)).expect(503);
      expect(
        await records({ ownerId: new Types.ObjectId(bob.user.id), status: { $ne: 'ready' } }),
      ).toEqual([]);
      expect((await records({ ownerId: new Types.ObjectId(bob.user.id) })).length).toBe(1);
    });

    it('never writes the API secret to the logs', () => {
      expect(t.logs.text()).not.toContain(fake.apiSecret);
    });
  });

  describe('admin bulk deletion', () => {
    it('deletes through the Admin API, in batches of 100 public ids', async () => {
      const storage = t.app.get(AssetStorage);
      const keys = Array.from({ length: 150 }, (_, i) => `users/${ada.user.id}/bulk-${i}`);
      for (const key of keys)
        fake.resources.set(key, { publicId: key, bytes: png(1, 1), format: 'png', createdAt: '' });
      const before = fake.requests.length;
      await storage.removeMany(keys);
      const calls = fake.requests.slice(before);
      expect(calls.map((c) => [c.action, c.status])).toEqual([
        ['delete_resources', 200],
        ['delete_resources', 200],
      ]);
      expect(keys.filter((key) => fake.resources.has(key))).toEqual([]);
    });

    it('answers { deleted, notFound } and removes the files at Cloudinary', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await upload(t, bob, png(2, 2)).expect(201)).body.id);
      const missing = new Types.ObjectId().toHexString();
      const res = await t
        .http()
        .post('/api/v1/admin/assets/bulk-delete')
        .set(bearer(admin))
        .send({ ids: [...ids, missing] })
        .expect(200);
      expect(res.body).toEqual({ deleted: ids, notFound: [missing] });
      for (const id of ids) expect(fake.resources.has(`users/${bob.user.id}/${id}`)).toBe(false);
      expect(await auditEntries(t, 'assets.bulk_deleted')).toHaveLength(1);
    });
  });

  describe('direct browser uploads', () => {
    const ticketFor = async (pair: Pair) =>
      (await t.http().post('/api/v1/assets/uploads').set(bearer(pair)).expect(201)).body as {
        uploadUrl: string;
        fields: Record<string, string>;
        publicId: string;
        folder: string;
        cloudName: string;
        apiKey: string;
        allowedFormats: string[];
        maxBytes: number;
        expiresAt: string;
      };
    const complete = (pair: Pair, publicId: string) =>
      t.http().post('/api/v1/assets/uploads/complete').set(bearer(pair)).send({ publicId });

    it('hands out a signature the upload API accepts, then records the upload', async () => {
      const ticket = await ticketFor(ada);
      expect(ticket).toMatchObject({
        uploadUrl: expect.stringMatching(/\/v1_1\/fake-cloud\/image\/upload$/),
        folder: `users/${ada.user.id}`,
        cloudName: fake.cloudName,
        apiKey: fake.apiKey,
        allowedFormats: ['jpg', 'png', 'webp', 'gif', 'pdf'],
        maxBytes: MAX_BYTES,
      });
      expect(ticket.publicId.startsWith(`${ticket.folder}/`)).toBe(true);
      expect(ticket.fields).toMatchObject({
        api_key: fake.apiKey,
        public_id: ticket.publicId,
        overwrite: 'false',
        signature: expect.stringMatching(/^[0-9a-f]{40}$/),
      });
      expect(JSON.stringify(ticket)).not.toContain(fake.apiSecret);

      const sent = await browserUpload(ticket, png(12, 9), 'browser.png');
      expect(sent.status).toBe(200);
      expect(sent.body.public_id).toBe(ticket.publicId);

      const done = await complete(ada, ticket.publicId).expect(201);
      expect(done.body).toMatchObject({
        publicId: ticket.publicId,
        mimeType: 'image/png',
        width: 12,
        height: 9,
        fileName: 'browser.png',
        url: expect.stringMatching(/^https:\/\/res\.cloudinary\.com\//),
      });
      const list = await t.http().get('/api/v1/assets').set(bearer(ada)).expect(200);
      expect(list.body.items.map((a: { id: string }) => a.id)).toContain(done.body.id);
      await complete(ada, ticket.publicId).expect(404); // completed once only
    });

    it('is refused by the upload API if any signed field is changed', async () => {
      const ticket = await ticketFor(ada);
      const overrides: Record<string, string>[] = [
        { public_id: `users/${bob.user.id}/${new Types.ObjectId().toHexString()}` },
        { overwrite: 'true' },
        { allowed_formats: 'jpg,png,webp,gif,pdf,svg' },
        { timestamp: String(Number(ticket.fields.timestamp) - 1) },
      ];
      for (const override of overrides) {
        const sent = await browserUpload(ticket, png(2, 2), 'x.png', override);
        expect(sent.status).toBe(401);
      }
    });

    it('deletes and refuses an upload over the size limit (413) or of another type (415)', async () => {
      const odd = await ticketFor(ada);
      fake.resources.set(odd.publicId, {
        publicId: odd.publicId,
        bytes: Buffer.from('<svg/>'),
        format: 'svg',
        createdAt: '',
      });
      const wrongType = await complete(ada, odd.publicId).expect(415);
      expect(wrongType.body.code).toBe('unsupported_file_type');
      expect(fake.resources.has(odd.publicId)).toBe(false);
      expect(await records({ key: odd.publicId })).toEqual([]);

      const big = await ticketFor(ada);
      expect((await browserUpload(big, png(2, 2, MAX_BYTES), 'big.png')).status).toBe(200);
      const tooBig = await complete(ada, big.publicId).expect(413);
      expect(tooBig.body.code).toBe('file_too_large');
      expect(fake.resources.has(big.publicId)).toBe(false);
      expect(await records({ key: big.publicId })).toEqual([]);

      const doc = await ticketFor(ada); // and a PDF is fine
      expect((await browserUpload(doc, pdf(), 'cv.pdf')).status).toBe(200);
      const ok = await complete(ada, doc.publicId).expect(201);
      expect(ok.body).toMatchObject({ mimeType: 'application/pdf', fileName: 'cv.pdf' });
    });

    it("records only the caller's own upload, and only once Cloudinary has it", async () => {
      const ticket = await ticketFor(ada);
      await complete(ada, ticket.publicId).expect(404); // not uploaded yet
      expect((await browserUpload(ticket, gif(3, 3), 'a.gif')).status).toBe(200);
      await complete(bob, ticket.publicId).expect(404);
      await complete(ada, `users/${ada.user.id}/${new Types.ObjectId().toHexString()}`).expect(404);
      const bad = await complete(ada, '../../etc');
      expect(bad.status).toBe(400);
      await complete(ada, ticket.publicId).expect(201);
    });

    it('cleans up an upload never completed, with the purge job', async () => {
      const ticket = await ticketFor(bob);
      expect((await browserUpload(ticket, gif(3, 3), 'a.gif')).status).toBe(200);
      const assets = t.app.get(AssetsService);
      expect(await assets.purgeStale()).toBe(0);
      t.clock.advance(3 * 3_600_000);
      expect(await assets.purgeStale()).toBeGreaterThanOrEqual(1);
      expect(fake.resources.has(ticket.publicId)).toBe(false);
      expect(await records({ key: ticket.publicId })).toEqual([]);
    });
  });

  describe('user deletion', () => {
    it("removes the user's files at Cloudinary, then the records", async () => {
      await signUp(t, 'gone@example.com');
      const gone = await signIn(t, 'gone@example.com');
      const keys: string[] = [];
      for (let i = 0; i < 3; i++)
        keys.push((await upload(t, gone, png(2, 2)).expect(201)).body.publicId);
      const fresh = await signIn(t, ADMIN.email, ADMIN.password); // the clock has moved on
      await t.http().delete(`/api/v1/admin/users/${gone.user.id}`).set(bearer(fresh)).expect(204);
      for (const key of keys) expect(fake.resources.has(key)).toBe(false);
      expect(await records({ ownerId: new Types.ObjectId(gone.user.id) })).toEqual([]);
    });
  });
});

describe('Cloudinary signatures', () => {
  it('are refused by the stand-in when the server signs with a wrong secret', async () => {
    const fake = new CloudinaryFake();
    await fake.start();
    const t = await createTestApp({
      ASSET_STORAGE: 'cloudinary',
      CLOUDINARY_URL: fake.url('not-the-secret'),
    });
    try {
      await signUp(t, 'wrong@example.com');
      const pair = await signIn(t, 'wrong@example.com');
      const res = await upload(t, pair, png(2, 2)).expect(503);
      expect(res.body.code).toBe('storage_unavailable');
      // The upload, and the clean-up after it, are both refused: the record stays pending (never
      // ready, never listed) for the purge job to finish once storage answers again.
      expect(fake.requests.map((r) => [r.action, r.status])).toEqual([
        ['upload', 401],
        ['destroy', 401],
      ]);
      expect(fake.resources.size).toBe(0);
      expect(await t.db.collection('assets').distinct('status')).toEqual(['pending']);
      await t.http().get('/api/v1/assets').set(bearer(pair)).expect(200, {
        items: [],
        total: 0,
        page: 1,
        limit: 20,
      });
      const ticket = (await t.http().post('/api/v1/assets/uploads').set(bearer(pair)).expect(201))
        .body;
      expect((await browserUpload(ticket, png(2, 2), 'x.png')).status).toBe(401);
    } finally {
      await t.close();
      await fake.stop();
    }
  });

  it('use SHA-256 when the product environment does (signature_algorithm=sha256)', async () => {
    const fake = new CloudinaryFake('sha256');
    await fake.start();
    const t = await createTestApp({ ASSET_STORAGE: 'cloudinary', CLOUDINARY_URL: fake.url() });
    try {
      await signUp(t, 'sha@example.com');
      const pair = await signIn(t, 'sha@example.com');
      await upload(t, pair, png(2, 2)).expect(201);
      const ticket = (await t.http().post('/api/v1/assets/uploads').set(bearer(pair)).expect(201))
        .body;
      expect(ticket.fields.signature).toMatch(/^[0-9a-f]{64}$/);
      expect((await browserUpload(ticket, png(2, 2), 'x.png')).status).toBe(200);
      expect(fake.requests.filter((r) => r.status !== 200)).toEqual([]);
    } finally {
      await t.close();
      await fake.stop();
    }
  });
});
