import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Cloudinary's Upload and Admin APIs, for the real SDK to talk to (through
 * CLOUDINARY_URL's `upload_prefix`). It checks every request the way Cloudinary documents:
 * Upload API calls carry a signature, the hex SHA-1 (or SHA-256, as the product environment is
 * set) of the parameters sorted by name as `k=v` joined by `&`, followed by the API secret, over
 * every parameter but `file`, `cloud_name`, `resource_type`, `api_key` and the signature itself,
 * with a timestamp under an hour old; Admin API calls use HTTP Basic with key and secret. A
 * wrong secret is refused with 401, as Cloudinary does, and answers have Cloudinary's shapes.
 */

export interface FakeResource {
  publicId: string;
  bytes: Buffer;
  format: string;
  width?: number;
  height?: number;
  originalFilename?: string;
  createdAt: string;
}

export interface FakeRequest {
  method: string;
  /** `upload`, `destroy`, `resource`, `delete_resources` or `unknown`. */
  action: string;
  status: number;
}

const SIGNATURE_LIFETIME_S = 3600;
const UNSIGNED = new Set(['file', 'cloud_name', 'resource_type', 'api_key', 'signature']);

export class CloudinaryFake {
  readonly resources = new Map<string, FakeResource>();
  readonly requests: FakeRequest[] = [];
  /** The exact strings that were signed, for tests that want to see them. */
  readonly signedStrings: string[] = [];
  readonly cloudName = 'fake-cloud';
  readonly apiKey = '123456789012345';
  readonly apiSecret = randomBytes(18).toString('base64url');
  private server?: Server;
  private origin = '';
  private nextUploadFailure?: 'reset' | 'error';

  constructor(private readonly algorithm: 'sha1' | 'sha256' = 'sha1') {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) this.reply(res, 500, { error: { message: 'fake failed' } }, '');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  /** CLOUDINARY_URL for this fake; `secret` to try a wrong one. */
  url(secret = this.apiSecret): string {
    const algorithm = this.algorithm === 'sha1' ? '' : '&signature_algorithm=sha256';
    return `cloudinary://${this.apiKey}:${secret}@${this.cloudName}?upload_prefix=${this.origin}${algorithm}`;
  }

  /** The next upload drops its connection half-way (`reset`) or answers 500 (`error`). */
  failNextUpload(mode: 'reset' | 'error'): void {
    this.nextUploadFailure = mode;
  }

  /** Signs like a browser's form would be signed: for tests that post to the fake themselves. */
  sign(params: Record<string, string>, secret = this.apiSecret): string {
    return this.digest(this.stringToSign(params) + secret);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const base = `/v1_1/${this.cloudName}`;
    const path = url.pathname;
    if (req.method === 'POST' && path === `${base}/image/upload`) {
      if (this.nextUploadFailure === 'reset') {
        this.nextUploadFailure = undefined;
        req.once('data', () => req.socket.destroy());
        return;
      }
      return this.upload(req, res);
    }
    if (req.method === 'POST' && path === `${base}/image/destroy`) return this.destroy(req, res);
    const resources = `${base}/resources/image/upload`;
    if (req.method === 'GET' && path.startsWith(`${resources}/`))
      return this.resource(req, res, decodeURIComponent(path.slice(resources.length + 1)));
    if (req.method === 'DELETE' && path === resources) return this.deleteResources(req, res);
    await readBody(req);
    this.reply(res, 404, { error: { message: 'Not found' } }, 'unknown');
  }

  private async upload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = parseMultipart(await readBody(req), req.headers['content-type'] ?? '');
    const refused = this.checkSignature(form.fields);
    if (refused) return this.reply(res, 401, { error: { message: refused } }, 'upload');
    if (this.nextUploadFailure === 'error') {
      this.nextUploadFailure = undefined;
      return this.reply(res, 500, { error: { message: 'General Error' } }, 'upload');
    }
    if (!form.file)
      return this.reply(
        res,
        400,
        { error: { message: 'Missing required parameter - file' } },
        'upload',
      );
    const sniffed = sniff(form.file.bytes);
    if (!sniffed)
      return this.reply(res, 400, { error: { message: 'Invalid image file' } }, 'upload');
    const allowed = form.fields.allowed_formats?.split(',');
    if (allowed && !allowed.includes(sniffed.format))
      return this.reply(
        res,
        400,
        { error: { message: `Image format ${sniffed.format} not allowed` } },
        'upload',
      );
    const publicId = form.fields.public_id ?? randomBytes(10).toString('hex');
    const existing = this.resources.get(publicId);
    const keep = existing && ['false', '0'].includes(form.fields.overwrite ?? '');
    const resource: FakeResource = keep
      ? existing
      : {
          publicId,
          bytes: form.file.bytes,
          ...sniffed,
          originalFilename: form.file.filename?.replace(/\.[^.]*$/, ''),
          createdAt: new Date().toISOString(),
        };
    this.resources.set(publicId, resource);
    this.reply(
      res,
      200,
      { ...this.describe(resource), ...(keep ? { existing: true } : {}) },
      'upload',
    );
  }

  private async destroy(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = parseMultipart(await readBody(req), req.headers['content-type'] ?? '');
    const refused = this.checkSignature(form.fields);
    if (refused) return this.reply(res, 401, { error: { message: refused } }, 'destroy');
    const existed = this.resources.delete(form.fields.public_id ?? '');
    this.reply(res, 200, { result: existed ? 'ok' : 'not found' }, 'destroy');
  }

  private async resource(
    req: IncomingMessage,
    res: ServerResponse,
    publicId: string,
  ): Promise<void> {
    await readBody(req);
    if (!this.basicAuthOk(req))
      return this.reply(res, 401, { error: { message: 'Invalid credentials' } }, 'resource');
    const found = this.resources.get(publicId);
    if (!found)
      return this.reply(
        res,
        404,
        { error: { message: `Resource not found - ${publicId}` } },
        'resource',
      );
    this.reply(res, 200, this.describe(found), 'resource');
  }

  private async deleteResources(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = new URLSearchParams((await readBody(req)).toString('utf8'));
    if (!this.basicAuthOk(req))
      return this.reply(
        res,
        401,
        { error: { message: 'Invalid credentials' } },
        'delete_resources',
      );
    const ids = body.getAll('public_ids[]');
    if (ids.length === 0 || ids.length > 100)
      return this.reply(
        res,
        400,
        { error: { message: 'public_ids must hold 1 to 100 ids' } },
        'delete_resources',
      );
    const deleted = Object.fromEntries(
      ids.map((id) => [id, this.resources.delete(id) ? 'deleted' : 'not_found']),
    );
    this.reply(res, 200, { deleted, partial: false }, 'delete_resources');
  }

  private checkSignature(fields: Record<string, string>): string | undefined {
    if (fields.api_key !== this.apiKey) return `Invalid api_key ${fields.api_key}`;
    const timestamp = Number(fields.timestamp);
    if (
      !Number.isInteger(timestamp) ||
      Math.abs(Date.now() / 1000 - timestamp) > SIGNATURE_LIFETIME_S
    )
      return 'Stale request - reported time is older than 1 hour';
    const toSign = this.stringToSign(fields);
    this.signedStrings.push(toSign);
    const expected = Buffer.from(this.digest(toSign + this.apiSecret));
    const given = Buffer.from(fields.signature ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return `Invalid Signature ${fields.signature ?? ''}. String to sign - '${toSign}'.`;
    return undefined;
  }

  /** Sorted `k=v` pairs joined by `&`, blanks left out, `&` inside a value escaped (signature v2). */
  private stringToSign(fields: Record<string, string>): string {
    return Object.keys(fields)
      .filter((key) => !UNSIGNED.has(key) && fields[key] !== '')
      .sort()
      .map((key) => `${key}=${fields[key]}`.replace(/&/g, '%26'))
      .join('&');
  }

  private digest(text: string): string {
    return createHash(this.algorithm).update(text).digest('hex');
  }

  private basicAuthOk(req: IncomingMessage): boolean {
    const expected = `Basic ${Buffer.from(`${this.apiKey}:${this.apiSecret}`).toString('base64')}`;
    return req.headers.authorization === expected;
  }

  private describe(resource: FakeResource) {
    const version = 1_700_000_000;
    const path = `${resource.publicId}.${resource.format}`;
    const slash = resource.publicId.lastIndexOf('/');
    return {
      asset_id: createHash('md5').update(resource.publicId).digest('hex'),
      public_id: resource.publicId,
      version,
      format: resource.format,
      resource_type: 'image',
      type: 'upload',
      created_at: resource.createdAt,
      bytes: resource.bytes.length,
      ...(resource.width ? { width: resource.width, height: resource.height } : {}),
      folder: slash < 0 ? '' : resource.publicId.slice(0, slash),
      ...(resource.originalFilename ? { original_filename: resource.originalFilename } : {}),
      url: `http://res.cloudinary.com/${this.cloudName}/image/upload/v${version}/${path}`,
      secure_url: `https://res.cloudinary.com/${this.cloudName}/image/upload/v${version}/${path}`,
    };
  }

  private reply(res: ServerResponse, status: number, body: unknown, action: string): void {
    this.requests.push({ method: res.req.method ?? '', action, status });
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Enough of multipart/form-data for the SDK's and a browser's forms. */
function parseMultipart(body: Buffer, contentType: string) {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  const fields: Record<string, string> = {};
  let file: { filename?: string; bytes: Buffer } | undefined;
  if (!boundary) return { fields, file };
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const part = body.subarray(start + 2, next - 2); // past CRLF, before CRLF
    const split = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, split).toString('utf8');
    const content = part.subarray(split + 4);
    const name = /name="([^"]*)"/.exec(headers)?.[1] ?? '';
    const filename = /filename="([^"]*)"/.exec(headers)?.[1];
    if (name === 'file') file = { filename, bytes: Buffer.from(content) };
    else fields[name] = content.toString('utf8');
    at = next;
  }
  return { fields, file };
}

/** The formats Cloudinary would name, from magic bytes (independent of the app's own sniffing). */
function sniff(bytes: Buffer): { format: string; width?: number; height?: number } | undefined {
  if (bytes.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex')))
    return { format: 'png', width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  if (bytes.subarray(0, 3).toString('latin1') === 'GIF')
    return { format: 'gif', width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return { format: 'jpg' };
  if (bytes.subarray(8, 12).toString('latin1') === 'WEBP') return { format: 'webp' };
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return { format: 'pdf' };
  return undefined;
}
