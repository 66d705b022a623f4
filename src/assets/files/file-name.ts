/** Longest stored name, in code points, extension included. */
export const MAX_FILE_NAME = 120;

/**
 * The client's file name made safe to store, list and put in a header: the last path segment
 * only, NFC, without control, invisible or bidi-control characters (a `\u202e` can make
 * `gnp.exe` read as `exe.png`), without characters that are special in file systems or quoted
 * headers, and ending in the extension of the type the bytes turned out to be. Never used to
 * build a storage path: stored files are named by id.
 */
export function sanitizeFileName(raw: string | undefined, ext: string): string {
  const base =
    (raw ?? '')
      .replace(/%22/g, '"') // browsers send these three escaped in a multipart header
      .replace(/%0D/gi, '\r')
      .replace(/%0A/gi, '\n')
      .normalize('NFC')
      .split(/[/\\]/)
      .pop() ?? '';
  let name = base
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/["*:<>?|;%]/g, '_')
    .replace(/\s+/gu, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  const suffix = `.${ext}`;
  if (!name.toLowerCase().endsWith(suffix)) name = name ? `${name}${suffix}` : `file${suffix}`;
  const points = [...name];
  if (points.length > MAX_FILE_NAME) {
    const stem = points.slice(0, MAX_FILE_NAME - suffix.length).join('');
    name = `${stem.replace(/[\s.]+$/, '')}${suffix}`;
  }
  return name;
}

/**
 * `Content-Disposition: attachment` with both forms of the name (RFC 6266): an ASCII fallback
 * for old clients and the exact name percent-encoded in `filename*`.
 */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
