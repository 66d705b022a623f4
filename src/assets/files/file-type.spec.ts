import {
  gif,
  HTML,
  jpeg,
  pdf,
  png,
  PNG_POLYGLOT,
  SCRIPT,
  SVG,
  webp,
} from '../../../test/support/files';
import { detectType } from './file-type';

describe(detectType.name, () => {
  it.each([
    ['png', png(3, 2), 'image/png'],
    ['jpeg', jpeg(3, 2), 'image/jpeg'],
    ['gif', gif(3, 2), 'image/gif'],
    ['webp', webp(3, 2), 'image/webp'],
    ['pdf', pdf(), 'application/pdf'],
  ])('recognises a %s from its bytes', async (_, bytes, mimeType) => {
    expect((await detectType(bytes))?.mimeType).toBe(mimeType);
  });

  it.each([
    ['a shell script', SCRIPT],
    ['an SVG with a script', SVG],
    ['an HTML page', HTML],
    ['a PNG signature with a script behind it', PNG_POLYGLOT],
    ['nothing at all', Buffer.alloc(0)],
  ])('refuses %s', async (_, bytes) => {
    expect(await detectType(bytes)).toBeUndefined();
  });

  it('says which types are images', async () => {
    expect((await detectType(png(1, 1)))?.image).toBe(true);
    expect((await detectType(pdf()))?.image).toBe(false);
  });
});
