import { fileTypeFromBuffer } from 'file-type';

/** The types an upload may be, by MIME type, with the extension stored files get. */
export const ACCEPTED_TYPES = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'application/pdf': 'pdf',
} as const;

export type AcceptedMimeType = keyof typeof ACCEPTED_TYPES;

export interface AcceptedType {
  mimeType: AcceptedMimeType;
  ext: (typeof ACCEPTED_TYPES)[AcceptedMimeType];
  image: boolean;
}

/** How many leading bytes decide the type (file-type's own "reasonable" sample size). */
export const SNIFF_BYTES = 4100;

/**
 * The type of a file from its first bytes, never from the name or the client's header; anything
 * but the accepted types (a script, SVG, HTML, a PNG signature in front of something else) is
 * `undefined`. file-type checks more than the signature (a PNG must go on with a valid chunk).
 */
export async function detectType(head: Buffer): Promise<AcceptedType | undefined> {
  const found = await fileTypeFromBuffer(head);
  // An animated PNG is still a PNG to every browser.
  const mime = found?.mime === 'image/apng' ? 'image/png' : found?.mime;
  if (!mime || !(mime in ACCEPTED_TYPES)) return undefined;
  const mimeType = mime as AcceptedMimeType;
  return { mimeType, ext: ACCEPTED_TYPES[mimeType], image: mimeType.startsWith('image/') };
}
