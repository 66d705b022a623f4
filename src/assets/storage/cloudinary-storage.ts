import type { v2 } from 'cloudinary';
import * as http from 'node:http';
import * as https from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CloudinaryAccount } from '../../config/cloudinary-url';
import { AssetStorage, DirectUploadResult, DirectUploadTicket, StoredFile } from './asset-storage';

type Sdk = typeof v2;

/** Every asset type we accept (PDF included) is an `image` resource to Cloudinary. */
const RESOURCE = { resource_type: 'image', type: 'upload' } as const;
/** The Admin API deletes at most 100 public ids per call. */
export const DELETE_BATCH = 100;
/** Cloudinary refuses a signed request whose timestamp is older than this. */
const SIGNATURE_LIFETIME_MS = 3_600_000;
/** Idle time after which an upload or API call to Cloudinary is abandoned. */
const TIMEOUT_MS = 60_000;

/** A failure Cloudinary reported (its own message, which never reaches a client). */
export class CloudinaryError extends Error {
  constructor(
    readonly httpCode: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'CloudinaryError';
  }

  /**
   * Keeps the status and message only: the Admin API rejects with the request options attached,
   * and those hold the API secret, so the SDK's error object itself is never logged.
   */
  static from(error: unknown): CloudinaryError {
    const outer = (error ?? {}) as { error?: unknown };
    const inner = (typeof outer.error === 'object' && outer.error ? outer.error : outer) as {
      http_code?: number;
      message?: unknown;
    };
    const message = typeof inner.message === 'string' ? inner.message : 'request failed';
    return new CloudinaryError(inner.http_code, `Cloudinary: ${message}`);
  }
}

/** Every user's files live under their own folder: `users/<userId>/<assetId>`. */
export const folderOf = (ownerId: string) => `users/${ownerId}`;

/**
 * Cloudinary through its official SDK. Server uploads are signed and streamed
 * (`upload_stream`) to a public id chosen before the upload starts, inside the owner's folder;
 * deletion is `destroy`, bulk deletion the Admin API's delete by public ids. Public ids carry
 * the folder themselves, so the key is the same in fixed and dynamic folder modes.
 */
export class CloudinaryStorage extends AssetStorage {
  readonly kind = 'cloudinary' as const;
  /** A plain-http upload prefix (a local stand-in) needs an http agent: the SDK speaks https. */
  private readonly plainHttp: boolean;
  private readonly agent: http.Agent;

  constructor(
    private readonly sdk: Sdk,
    private readonly account: CloudinaryAccount,
    private readonly now: () => Date,
  ) {
    super();
    this.plainHttp = account.uploadPrefix?.startsWith('http:') ?? false;
    this.agent = this.newAgent(true);
  }

  /** Loads the SDK only when it is used (it reads CLOUDINARY_URL from the environment on load). */
  static async create(account: CloudinaryAccount, now: () => Date): Promise<CloudinaryStorage> {
    const { v2: sdk } = await import('cloudinary');
    return new CloudinaryStorage(sdk, account, now);
  }

  keyFor(ownerId: string, assetId: string): string {
    return `${folderOf(ownerId)}/${assetId}`;
  }

  /**
   * Streams to Cloudinary over a connection of its own, so that when the source fails (a rule
   * broken mid-stream, the client gone) the connection is dropped at once: the upload never
   * reaches its end, and Cloudinary stores nothing.
   */
  put(key: string, source: Readable): Promise<StoredFile> {
    const agent = this.newAgent(false);
    return new Promise<StoredFile>((resolve, reject) => {
      let sourceError: unknown;
      let settled = false;
      const upload = this.sdk.uploader.upload_stream(
        this.options({
          agent,
          public_id: key,
          overwrite: false,
          unique_filename: false,
          timeout: TIMEOUT_MS,
        }),
        (error, result) => {
          agent.destroy();
          if (settled) return;
          settled = true;
          if (sourceError) reject(sourceError);
          else if (error || !result) reject(CloudinaryError.from(error));
          else resolve({ url: result.secure_url });
        },
      );
      pipeline(source, upload).catch((error: unknown) => {
        sourceError ??= error;
        agent.destroy();
      });
    });
  }

  async remove(key: string): Promise<void> {
    const result = (await this.sdk.uploader
      .destroy(key, this.options({ invalidate: true }))
      .catch((error: unknown) => Promise.reject(CloudinaryError.from(error)))) as {
      result?: string;
    };
    if (result.result !== 'ok' && result.result !== 'not found')
      throw new CloudinaryError(undefined, `destroy answered ${result.result}`);
  }

  async removeMany(keys: string[]): Promise<void> {
    for (let at = 0; at < keys.length; at += DELETE_BATCH) {
      await this.sdk.api
        .delete_resources(keys.slice(at, at + DELETE_BATCH), this.options())
        .catch((error: unknown) => Promise.reject(CloudinaryError.from(error)));
    }
  }

  override directUploadTicket(key: string, formats: string[]): DirectUploadTicket {
    const now = this.now();
    const params = {
      timestamp: String(Math.floor(now.getTime() / 1000)),
      public_id: key,
      allowed_formats: formats.join(','),
      overwrite: 'false',
    };
    const signed = this.sdk.utils.sign_request(params, this.options()) as Record<string, unknown>;
    return {
      uploadUrl: this.sdk.utils.api_url('upload', this.options()),
      fields: Object.fromEntries(Object.entries(signed).map(([k, v]) => [k, String(v)])),
      expiresAt: new Date(now.getTime() + SIGNATURE_LIFETIME_MS),
    };
  }

  override async describe(key: string): Promise<DirectUploadResult | undefined> {
    try {
      const found = (await this.sdk.api.resource(key, this.options())) as {
        public_id: string;
        secure_url: string;
        bytes: number;
        format: string;
        original_filename?: string;
        width?: number;
        height?: number;
      };
      return {
        key: found.public_id,
        url: found.secure_url,
        bytes: found.bytes,
        format: found.format,
        ...(found.original_filename ? { originalFilename: found.original_filename } : {}),
        ...(found.width ? { width: found.width } : {}),
        ...(found.height ? { height: found.height } : {}),
      };
    } catch (error) {
      const failure = CloudinaryError.from(error);
      if (failure.httpCode === 404) return undefined;
      throw failure;
    }
  }

  /** The account and endpoint on every call, so no global SDK configuration is involved. */
  private options<T extends object>(extra: T = {} as T) {
    const { cloudName, apiKey, apiSecret, uploadPrefix, signatureAlgorithm } = this.account;
    return {
      cloud_name: cloudName,
      api_key: apiKey,
      api_secret: apiSecret,
      signature_algorithm: signatureAlgorithm,
      ...(uploadPrefix ? { upload_prefix: uploadPrefix } : {}),
      agent: this.agent,
      ...RESOURCE,
      ...extra,
    };
  }

  private newAgent(keepAlive: boolean): http.Agent {
    return this.plainHttp ? new http.Agent({ keepAlive }) : new https.Agent({ keepAlive });
  }

  /** Closes the kept-alive connections (at shutdown). */
  override close(): void {
    this.agent.destroy();
  }
}
