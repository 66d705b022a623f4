import { HttpStatus } from '@nestjs/common';
import type { Multipart } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { DomainException, invalidInput } from '../../common/errors/domain.exception';
import { stopReadingBody } from '../../common/http/multipart';

/** A file part on its way in: read its stream, then `finish()` to check nothing follows it. */
export interface IncomingFile {
  /** As the client sent it; sanitised before it is stored. */
  fileName?: string;
  stream: Readable;
  finish(): Promise<void>;
}

const notMultipart = (field: string) =>
  new DomainException(
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    'unsupported_media_type',
    `Send the file as multipart/form-data in a part named "${field}".`,
  );

const notAccepted = (field: string) =>
  invalidInput([{ field, message: 'is not an accepted field' }]);

/**
 * The next part of a multipart body. The plugin's own errors (limits, a prototype key, a body cut
 * short) carry their status; busboy's parse errors (no boundary, a malformed part) carry none
 * and are the client's: 400, never a 500.
 */
export async function nextPart(
  parts: AsyncIterableIterator<Multipart>,
): Promise<Multipart | undefined> {
  try {
    const next = await parts.next();
    return next.done ? undefined : next.value;
  } catch (error) {
    if (error instanceof DomainException) throw error;
    const status = (error as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) throw error;
    throw new DomainException(
      HttpStatus.BAD_REQUEST,
      'bad_request',
      'The multipart body could not be read.',
    );
  }
}

/**
 * Reads a form that holds exactly one part, the file `field`: any other part, before or after
 * it, is refused (400) like an unknown JSON field.
 */
export async function readFilePart(request: FastifyRequest, field: string): Promise<IncomingFile> {
  if (!request.isMultipart?.()) throw notMultipart(field);
  const parts = request.parts();
  const first = await nextPart(parts);
  if (!first) throw invalidInput([{ field, message: 'is required' }]);
  if (first.type !== 'file' || first.fieldname !== field) {
    if (first.type === 'file') first.file.destroy();
    throw notAccepted(first.fieldname);
  }
  // The file stream destroyed before its end (a rule broke): the rest of the body is not read.
  first.file.once('close', () => {
    if (!first.file.readableEnded) stopReadingBody(request);
  });
  return {
    fileName: first.filename,
    stream: first.file,
    async finish() {
      const extra = await nextPart(parts);
      if (!extra) return;
      if (extra.type === 'file') extra.file.destroy();
      throw notAccepted(extra.fieldname);
    },
  };
}
