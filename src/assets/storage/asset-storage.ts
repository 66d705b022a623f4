import type { Readable } from 'node:stream';
import type { AcceptedType } from '../files/file-type';

export interface StoredFile {
  /** Where clients fetch it. */
  url: string;
}

/** A file the local store serves: its bytes and what to say about them. */
export interface ServedFile {
  stream: Readable;
  bytes: number;
}

/** Signed parameters a browser posts, with the file, straight to the storage. */
export interface DirectUploadTicket {
  uploadUrl: string;
  fields: Record<string, string>;
  /** When the signature stops being accepted. */
  expiresAt: Date;
}

/** What the storage knows about a file a browser uploaded directly. */
export interface DirectUploadResult {
  key: string;
  url: string;
  bytes: number;
  format: string;
  /** The name the browser's file had, when the storage kept it. */
  originalFilename?: string;
  width?: number;
  height?: number;
}

/**
 * Where asset bytes live. Keys are chosen by the service before any byte moves (the pending
 * record holds the key), so a file can always be found and removed again. Every method is
 * idempotent where it can be: removing a missing file is not an error.
 */
export abstract class AssetStorage {
  abstract readonly kind: 'local' | 'cloudinary';

  /** The key a new asset of this owner gets; stable for the same arguments. */
  abstract keyFor(ownerId: string, assetId: string, type: AcceptedType): string;

  /**
   * Stores the stream under `key`. If the stream fails (a rule broken while streaming, the
   * client gone) the partial file is discarded and the stream's error is rethrown; a storage
   * failure rejects with its own error.
   */
  abstract put(key: string, source: Readable, type: AcceptedType): Promise<StoredFile>;

  abstract remove(key: string): Promise<void>;

  /** Removes many files (the storage's bulk call where it has one). */
  abstract removeMany(keys: string[]): Promise<void>;

  /** Local store only: opens a file for serving, or `undefined` when there is none. */
  open(_key: string): Promise<ServedFile | undefined> {
    return Promise.resolve(undefined);
  }

  /** Releases connections (at shutdown). */
  close(): void {}

  /** Cloudinary only: signed parameters for a browser upload to `key`. */
  directUploadTicket?(key: string, formats: string[]): DirectUploadTicket;

  /** Cloudinary only: what the storage holds under `key`, or `undefined` when nothing. */
  describe?(key: string): Promise<DirectUploadResult | undefined>;
}
