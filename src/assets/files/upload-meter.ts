import { Readable, Transform, TransformCallback } from 'node:stream';
import { AcceptedType } from './file-type';
import { DimensionProbe, Dimensions } from './image-size';
import { fileTooLarge, notAValidImage } from '../assets.errors';

/**
 * Passes an upload through on its way to storage, counting bytes and reading the image size.
 * It fails the stream the moment the count passes `maxBytes` (413), and at the end when an
 * image's header could not be read (415), so storage never receives the end of a file that
 * breaks a rule: it sees an error instead and discards what it had.
 */
export class UploadMeter extends Transform {
  bytes = 0;
  private readonly probe: DimensionProbe;

  constructor(
    private readonly maxBytes: number,
    private readonly type: AcceptedType,
  ) {
    super();
    this.probe = new DimensionProbe(type.mimeType);
  }

  get dimensions(): Dimensions | undefined {
    return this.probe.dimensions;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) return done(fileTooLarge(this.maxBytes));
    this.probe.push(chunk);
    if (this.probe.failed) return done(notAValidImage(this.type.ext));
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    this.probe.finish();
    done(this.probe.failed ? notAValidImage(this.type.ext) : null);
  }
}

/**
 * Reads the first `size` bytes of a stream (fewer if it ends first) and gives back the whole
 * stream again, those bytes included, so the type can be decided before anything is stored.
 * The source's errors reach the returned stream.
 */
export async function peek(
  source: Readable,
  size: number,
): Promise<{ head: Buffer; stream: Readable }> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let length = 0;
  let ended = false;
  while (length < size) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    chunks.push(next.value);
    length += next.value.length;
  }
  const read = Buffer.concat(chunks);
  async function* replay(): AsyncGenerator<Buffer> {
    try {
      if (read.length > 0) yield read;
      if (ended) return;
      for (let next = await iterator.next(); !next.done; next = await iterator.next())
        yield next.value;
    } finally {
      // Stopped early (a rule broke, storage failed): the source stops too.
      await iterator.return?.();
    }
  }
  return { head: read.subarray(0, size), stream: Readable.from(replay(), { objectMode: false }) };
}
