import { attachmentDisposition, MAX_FILE_NAME, sanitizeFileName } from './file-name';

describe(sanitizeFileName.name, () => {
  it.each([
    ['holiday.png', 'png', 'holiday.png'],
    ['HOLIDAY.PNG', 'png', 'HOLIDAY.PNG'],
    ['../../etc/passwd', 'pdf', 'passwd.pdf'],
    ['C:\\Users\\ada\\cv.pdf', 'pdf', 'cv.pdf'],
    ['report.exe', 'pdf', 'report.exe.pdf'],
    ['x.png', 'pdf', 'x.png.pdf'],
    ['invoice\u202egnp.exe', 'png', 'invoicegnp.exe.png'],
    ['a\u0000b\r\nc.gif', 'gif', 'abc.gif'],
    ['"quoted"; name=x.jpg', 'jpg', '_quoted__ name=x.jpg'],
    ['   ...   ', 'webp', 'file.webp'],
    [undefined, 'png', 'file.png'],
    ['cafe\u0301.png', 'png', 'caf\u00e9.png'],
  ])('makes %j safe as %j', (raw, ext, expected) => {
    expect(sanitizeFileName(raw, ext)).toBe(expected);
  });

  it('caps the length and keeps the extension', () => {
    const name = sanitizeFileName(`${'\u{1F600}'.repeat(300)}.png`, 'png');
    expect([...name]).toHaveLength(MAX_FILE_NAME);
    expect(name.endsWith('.png')).toBe(true);
  });
});

describe(attachmentDisposition.name, () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    expect(attachmentDisposition('résumé (1).pdf')).toBe(
      `attachment; filename="r_sum_ (1).pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%281%29.pdf`,
    );
  });
});
