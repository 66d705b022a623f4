import { gif, jpeg, png, webp } from '../../../test/support/files';
import { AcceptedMimeType } from './file-type';
import { DimensionProbe } from './image-size';

/** Feeds the bytes in chunks of `size`, as a stream would. */
function probe(mimeType: AcceptedMimeType, bytes: Buffer, size = bytes.length) {
  const p = new DimensionProbe(mimeType);
  for (let at = 0; at < bytes.length; at += size) p.push(bytes.subarray(at, at + size));
  p.finish();
  return p;
}

describe(DimensionProbe.name, () => {
  it.each([
    ['image/png', png(640, 480)],
    ['image/gif', gif(640, 480)],
    ['image/webp', webp(640, 480)],
    ['image/jpeg', jpeg(640, 480)],
  ] as const)('reads the size of a %s, whole or one byte at a time', (mimeType, bytes) => {
    expect(probe(mimeType, bytes).dimensions).toEqual({ width: 640, height: 480 });
    expect(probe(mimeType, bytes, 1).dimensions).toEqual({ width: 640, height: 480 });
  });

  it('skips a JPEG metadata segment spread over many chunks without keeping it', () => {
    const p = probe('image/jpeg', jpeg(33, 44, 65_000), 4096);
    expect(p.dimensions).toEqual({ width: 33, height: 44 });
  });

  it('fails a JPEG whose image data comes before any frame header', () => {
    const noFrame = Buffer.from('ffd8ffe000044a46ffda0008010100003f00ffd9', 'hex');
    expect(probe('image/jpeg', noFrame).failed).toBe(true);
  });

  it('fails a header that is cut short or has no size', () => {
    expect(probe('image/png', png(4, 4).subarray(0, 20)).failed).toBe(true);
    expect(probe('image/gif', gif(0, 5)).failed).toBe(true);
    expect(probe('image/webp', Buffer.from('RIFF\0\0\0\0WEBPXXXX' + ' '.repeat(20))).failed).toBe(
      true,
    );
  });

  it('reads nothing from a PDF, and does not fail it', () => {
    const p = probe('application/pdf', Buffer.from('%PDF-1.4\n'));
    expect(p).toMatchObject({ failed: false, dimensions: undefined });
  });
});
