import type { AcceptedMimeType } from './file-type';

export interface Dimensions {
  width: number;
  height: number;
}

/** JPEG start-of-frame markers (SOF0-3, 5-7, 9-11, 13-15): the ones that carry the size. */
const JPEG_SOF = new Set([
  0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf,
]);
/** Bytes that hold the size of a PNG, GIF or WebP, at most. */
const FIXED_HEADER_BYTES = 30;
/** Markers without a length field. */
const JPEG_STANDALONE = new Set([0x01, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8]);

/**
 * Reads an image's width and height from its header while the bytes stream past, keeping only a
 * few bytes at a time: PNG, GIF and WebP say it in their first 30 bytes; a JPEG says it in its
 * start-of-frame segment, which may follow large metadata segments, so those are skipped by
 * length rather than buffered. `failed` is set when the header is not what the type promised.
 */
export class DimensionProbe {
  dimensions?: Dimensions;
  failed = false;
  private pending = Buffer.alloc(0);
  private skip = 0;
  private jpegStarted = false;

  constructor(private readonly mimeType: AcceptedMimeType) {}

  get done(): boolean {
    return this.failed || this.dimensions !== undefined || this.mimeType === 'application/pdf';
  }

  push(chunk: Buffer): void {
    if (this.done) return;
    if (this.skip >= chunk.length) {
      this.skip -= chunk.length;
      return;
    }
    this.pending = Buffer.concat([this.pending, chunk.subarray(this.skip)]);
    this.skip = 0;
    if (this.mimeType === 'image/jpeg') this.walkJpeg();
    else if (this.pending.length >= FIXED_HEADER_BYTES) this.readFixedHeader();
  }

  /** At the end of the file: a header still unread is a broken image. */
  finish(): void {
    if (!this.done && this.mimeType !== 'image/jpeg') this.readFixedHeader();
    if (!this.done) this.failed = true;
  }

  private settle(width: number, height: number): void {
    if (width > 0 && height > 0) this.dimensions = { width, height };
    else this.failed = true;
    this.pending = Buffer.alloc(0);
  }

  /** PNG, GIF, WebP: the size sits at a fixed place; a file too short for it is broken. */
  private readFixedHeader(): void {
    const b = Buffer.concat([this.pending, Buffer.alloc(FIXED_HEADER_BYTES)]);
    const short = (needed: number) => this.pending.length < needed;
    if (this.mimeType === 'image/png') {
      if (short(24)) return void (this.failed = true);
      if (b.readUInt32BE(8) !== 13 || b.toString('latin1', 12, 16) !== 'IHDR')
        return void (this.failed = true);
      return this.settle(b.readUInt32BE(16), b.readUInt32BE(20));
    }
    if (this.mimeType === 'image/gif') {
      if (short(10)) return void (this.failed = true);
      return this.settle(b.readUInt16LE(6), b.readUInt16LE(8));
    }
    // WebP: RIFF container, then one of three chunk kinds.
    const kind = b.toString('latin1', 12, 16);
    if (kind === 'VP8 ' && !short(30) && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a)
      return this.settle(b.readUInt16LE(26) & 0x3fff, b.readUInt16LE(28) & 0x3fff);
    if (kind === 'VP8L' && !short(25) && b[20] === 0x2f) {
      const bits = b.readUInt32LE(21);
      return this.settle((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1);
    }
    if (kind === 'VP8X' && !short(30))
      return this.settle(b.readUIntLE(24, 3) + 1, b.readUIntLE(27, 3) + 1);
    this.failed = true;
  }

  private walkJpeg(): void {
    if (!this.jpegStarted) {
      if (this.pending.length < 2) return;
      if (this.pending[0] !== 0xff || this.pending[1] !== 0xd8) return void (this.failed = true);
      this.pending = this.pending.subarray(2);
      this.jpegStarted = true;
    }
    for (;;) {
      const b = this.pending;
      if (b.length < 2) return;
      if (b[0] !== 0xff) return void (this.failed = true);
      const marker = b[1];
      if (marker === 0xff) {
        this.pending = b.subarray(1); // fill byte
        continue;
      }
      if (JPEG_STANDALONE.has(marker)) {
        this.pending = b.subarray(2);
        continue;
      }
      // The image data (or its end) before any frame header: no size to be had.
      if (marker === 0xda || marker === 0xd9) return void (this.failed = true);
      if (b.length < 4) return;
      const length = b.readUInt16BE(2);
      if (length < 2) return void (this.failed = true);
      if (JPEG_SOF.has(marker)) {
        if (b.length < 9) return;
        return this.settle(b.readUInt16BE(7), b.readUInt16BE(5));
      }
      const segment = 2 + length;
      if (b.length >= segment) {
        this.pending = b.subarray(segment);
        continue;
      }
      this.skip = segment - b.length;
      this.pending = Buffer.alloc(0);
      return;
    }
  }
}
