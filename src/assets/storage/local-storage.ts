import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AcceptedType } from '../files/file-type';
import { AssetStorage, ServedFile, StoredFile } from './asset-storage';

/** `<ownerId>/<assetId>.<ext>`: ids only, so no client-supplied text ever reaches a path. */
const KEY = /^[0-9a-f]{24}\/[0-9a-f]{24}\.(jpg|png|webp|gif|pdf)$/;

/** Removes a file; one that is not there (nor its folder) is already removed. */
async function removeFile(path: string): Promise<void> {
  await rm(path, { force: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOTDIR') throw error;
  });
}

/** Where the local store's files are served (outside the API prefix). */
export const FILES_ROUTE = '/files';

/**
 * Files under ASSET_DIR, served read-only by the app at /files/<key>. A file is written under a
 * temporary name and renamed into place once complete, so a served path never shows half a file
 * and a failed write leaves nothing but what `remove` cleans up.
 */
export class LocalStorage extends AssetStorage {
  readonly kind = 'local' as const;

  constructor(private readonly root: string) {
    super();
  }

  keyFor(ownerId: string, assetId: string, type: AcceptedType): string {
    return `${ownerId}/${assetId}.${type.ext}`;
  }

  async put(key: string, source: Readable): Promise<StoredFile> {
    const path = this.pathOf(key);
    const partial = `${path}.part`;
    await mkdir(dirname(path), { recursive: true });
    try {
      await pipeline(source, createWriteStream(partial, { flags: 'wx' }));
      await rename(partial, path);
    } catch (error) {
      source.destroy();
      await removeFile(partial);
      throw error;
    }
    return { url: `${FILES_ROUTE}/${key}` };
  }

  async remove(key: string): Promise<void> {
    const path = this.pathOf(key);
    await removeFile(path);
    await removeFile(`${path}.part`);
  }

  async removeMany(keys: string[]): Promise<void> {
    for (const key of keys) await this.remove(key);
  }

  override async open(key: string): Promise<ServedFile | undefined> {
    if (!KEY.test(key)) return undefined;
    const path = this.pathOf(key);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    return { stream: createReadStream(path), bytes: info.size };
  }

  /** The absolute path of a key, refused if it could leave the root (belt and braces: keys are ids). */
  private pathOf(key: string): string {
    const path = resolve(join(this.root, key));
    const inside = relative(this.root, path);
    if (!KEY.test(key) || inside.startsWith('..') || inside.startsWith(sep) || inside === '')
      throw new Error('not a local asset key');
    return path;
  }
}
