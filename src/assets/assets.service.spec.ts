import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { Types } from 'mongoose';
import { gif, pdf, png } from '../../test/support/files';
import { createUnitModule, UnitModule } from '../../test/support/unit-db';
import { DomainException } from '../common/errors/domain.exception';
import { assetsConfig } from '../config/configuration';
import { User, UserSchema } from '../users/user.schema';
import { UserDirectory } from '../users/user-directory.service';
import { UsersService } from '../users/users.service';
import { Asset, AssetSchema } from './asset.schema';
import { AssetsService, DELETING_STALE_MS, PENDING_STALE_MS } from './assets.service';
import { AssetStorage } from './storage/asset-storage';
import { LocalStorage } from './storage/local-storage';
import { UploadsService } from './uploads.service';

const MAX_BYTES = 64 * 1024;

describe(AssetsService.name, () => {
  let unit: UnitModule;
  let dir: string;
  let assets: AssetsService;
  let uploads: UploadsService;
  const files = () =>
    existsSync(dir)
      ? readdirSync(dir, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
          .sort()
      : [];
  const records = () => unit.db.collection('assets').find().toArray();
  /** A user to own assets (uploads check their owner is still there). */
  const owner = async (status = 'active') => {
    const _id = new Types.ObjectId();
    await unit.db.collection('users').insertOne({
      _id,
      email: `owner-${String(_id)}@example.com`,
      role: 'user',
      status,
      passwordHash: 'x$y',
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    return String(_id);
  };
  const incoming = (bytes: Buffer | Readable, fileName = 'f.png') => ({
    fileName,
    stream: Buffer.isBuffer(bytes) ? Readable.from([bytes]) : bytes,
    finish: () => Promise.resolve(),
  });
  const code = (promise: Promise<unknown>) =>
    promise.then(
      () => 'ok',
      (e: unknown) => (e instanceof DomainException ? `${e.getStatus()} ${e.code}` : String(e)),
    );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'assets-unit-'));
    unit = await createUnitModule({
      models: [
        { name: Asset.name, schema: AssetSchema },
        { name: User.name, schema: UserSchema },
      ],
      providers: [
        AssetsService,
        UploadsService,
        UsersService,
        UserDirectory,
        { provide: AssetStorage, useValue: new LocalStorage(dir) },
        { provide: assetsConfig.KEY, useValue: { storage: 'local', dir, maxBytes: MAX_BYTES } },
      ],
    });
    assets = unit.moduleRef.get(AssetsService);
    uploads = unit.moduleRef.get(UploadsService);
  });
  afterAll(() => unit.close());
  beforeEach(() => unit.db.collection('assets').deleteMany({}));

  describe('failures while uploading', () => {
    it('leaves no record and no file when storage fails', async () => {
      const id = await owner();
      writeFileSync(join(dir, id), 'a file where the owner folder should be');
      expect(await code(uploads.upload(id, incoming(png(4, 4))))).toBe('503 storage_unavailable');
      expect(await records()).toEqual([]);
      expect(files()).toEqual([id]);
    });

    it('leaves no record and no partial file when the client goes away mid-upload', async () => {
      const body = new PassThrough();
      const result = code(uploads.upload(await owner(), incoming(body)));
      body.write(png(8, 8, 20_000).subarray(0, 10_000));
      await new Promise((resolve) => setTimeout(resolve, 20));
      body.destroy(new Error('aborted'));
      expect(await result).toBe('400 validation_failed');
      expect(await records()).toEqual([]);
      expect(files().filter((f) => !/^[0-9a-f]{24}$/.test(f))).toEqual([]);
    });

    it("takes back an upload that became ready after its owner's deletion had begun", async () => {
      const id = await owner('disabled'); // what an account deletion does first
      expect(await code(uploads.upload(id, incoming(png(4, 4))))).toBe('404 not_found');
      expect(await records()).toEqual([]);
      expect(files().filter((f) => f.startsWith(id))).toEqual([]);
      const nobody = String(new Types.ObjectId());
      expect(await code(uploads.upload(nobody, incoming(png(4, 4))))).toBe('404 not_found');
      expect(await records()).toEqual([]);
    });

    it('discards the file of an upload whose owner was deleted while it streamed', async () => {
      const id = await owner();
      const body = new PassThrough();
      const result = code(uploads.upload(id, incoming(body)));
      const bytes = png(8, 8, 20_000);
      body.write(bytes.subarray(0, 10_000));
      await waitFor(async () => (await records()).length === 1);
      expect(await assets.deleteAllOf(id)).toBe(1);
      body.end(bytes.subarray(10_000));
      expect(await result).toBe('404 not_found');
      expect(await records()).toEqual([]);
      expect(files().filter((f) => f.startsWith(id))).toEqual([]);
    });
  });

  describe('the purge job', () => {
    /** What a crash leaves: a stored file whose record never became ready (or never went). */
    async function crashedAt(status: 'pending' | 'deleting') {
      const ownerId = await owner();
      const key = `${ownerId}/${String(new Types.ObjectId())}.png`;
      mkdirSync(join(dir, ownerId), { recursive: true });
      writeFileSync(join(dir, key), png(2, 2));
      const now = unit.clock.now();
      await unit.db.collection('assets').insertOne({
        ownerId: new Types.ObjectId(ownerId),
        status,
        storage: 'local',
        key,
        fileName: 'x.png',
        mimeType: 'image/png',
        createdAt: now,
        updatedAt: now,
      });
      return key;
    }

    it('removes the file, then the record, of uploads and deletions that stopped half-way', async () => {
      const pending = await crashedAt('pending');
      const deleting = await crashedAt('deleting');
      const ready = (await uploads.upload(await owner(), incoming(gif(2, 2)))).publicId;
      expect(await assets.purgeStale()).toBe(0); // a fresh pending record is an upload in flight

      unit.clock.advance(DELETING_STALE_MS + 1000);
      expect(await assets.purgeStale()).toBe(1);
      expect(files()).not.toContain(deleting);
      expect(files()).toContain(pending);

      unit.clock.advance(PENDING_STALE_MS);
      expect(await assets.purgeStale()).toBe(1);
      expect(files()).not.toContain(pending);
      expect((await records()).map((r) => [r.key, r.status])).toEqual([[ready, 'ready']]);
      expect(files()).toContain(ready);
      expect(await assets.purgeStale()).toBe(0);
    });
  });

  describe('deletion', () => {
    it('lets exactly one of 20 parallel deletions of an asset win', async () => {
      const id = await owner();
      const asset = await uploads.upload(id, incoming(png(2, 2)));
      const results = await Promise.all(
        Array.from({ length: 20 }, () => code(assets.delete(asset.id, id))),
      );
      expect(results.filter((r) => r === 'ok')).toHaveLength(1);
      expect(results.filter((r) => r !== 'ok')).toEqual(Array(19).fill('404 not_found'));
      expect(files().filter((f) => f.startsWith(id))).toEqual([]);
    });

    it("deletes all of a user's assets, in any state, and can be repeated", async () => {
      const id = await owner();
      await uploads.upload(id, incoming(png(2, 2)));
      await uploads.upload(id, incoming(pdf(), 'x.pdf'));
      await unit.db
        .collection('assets')
        .updateOne({ mimeType: 'application/pdf' }, { $set: { status: 'pending' } });
      const other = await uploads.upload(await owner(), incoming(png(2, 2)));
      expect(await assets.deleteAllOf(id)).toBe(2);
      expect(await assets.deleteAllOf(id)).toBe(0);
      expect((await records()).map((r) => String(r._id))).toEqual([other.id]);
      expect(files().filter((f) => f.startsWith(id))).toEqual([]);
    });
  });

  it('sums ready assets and their bytes in totals()', async () => {
    expect(await assets.totals()).toEqual({ total: 0, bytes: 0 });
    const a = await uploads.upload(await owner(), incoming(png(2, 2)));
    const b = await uploads.upload(await owner(), incoming(pdf(), 'x.pdf'));
    await unit.db.collection('assets').insertOne({ status: 'pending', bytes: 999, key: 'k' });
    expect(await assets.totals()).toEqual({ total: 2, bytes: a.bytes + b.bytes });
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
