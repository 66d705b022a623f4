import {
  elf,
  gif,
  HTML,
  jpeg,
  pdf,
  png,
  PNG_POLYGLOT,
  SCRIPT,
  SVG,
  SVG_WITH_PROLOG,
  webp,
  zip,
} from '../../../test/support/files';
import { fileTypeFromBuffer } from 'file-type';
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

  // file-type recognises each of these (XML, ELF, ZIP): only the allow-list stands between them
  // and storage, so each must come out undefined rather than as some sniffed type.
  it.each([
    ['an SVG with an <?xml prolog', SVG_WITH_PROLOG, 'application/xml'],
    ['an ELF executable', elf(), 'application/x-elf'],
    ['a ZIP archive', zip(), 'application/zip'],
  ])(
    'refuses %s, a type the sniffer knows but the allow-list does not',
    async (_, bytes, sniffed) => {
      expect((await fileTypeFromBuffer(bytes))?.mime).toBe(sniffed);
      expect(await detectType(bytes)).toBeUndefined();
    },
  );

  it('says which types are images', async () => {
    expect((await detectType(png(1, 1)))?.image).toBe(true);
    expect((await detectType(pdf()))?.image).toBe(false);
  });
});
