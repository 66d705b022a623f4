import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';
import { ACCEPTED_TYPES } from './files/file-type';

/** The stable codes of the assets feature's errors (the contract lists them). */
export enum AssetsError {
  FileTooLarge = 'file_too_large',
  UnsupportedFileType = 'unsupported_file_type',
  DirectUploadUnavailable = 'direct_upload_unavailable',
  StorageUnavailable = 'storage_unavailable',
}

const kinds = (imagesOnly: boolean) =>
  Object.values(ACCEPTED_TYPES)
    .filter((ext) => !imagesOnly || ext !== 'pdf')
    .join(', ');

export const fileTooLarge = (maxBytes: number) =>
  new DomainException(
    HttpStatus.PAYLOAD_TOO_LARGE,
    AssetsError.FileTooLarge,
    `The file is larger than the limit of ${maxBytes} bytes.`,
  );

export const unsupportedFileType = (imagesOnly = false) =>
  new DomainException(
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    AssetsError.UnsupportedFileType,
    `The file's content is not an accepted type (${kinds(imagesOnly)}).`,
  );

export const notAValidImage = (ext: string) =>
  new DomainException(
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    AssetsError.UnsupportedFileType,
    `The file starts like a ${ext} image but is not a valid one.`,
  );

export const directUploadUnavailable = () =>
  new DomainException(
    HttpStatus.CONFLICT,
    AssetsError.DirectUploadUnavailable,
    'Direct uploads need the Cloudinary storage; upload through POST /assets instead.',
  );

/** The storage failed (never its message: it may name hosts, paths or keys). */
export const storageUnavailable = () =>
  new DomainException(
    HttpStatus.SERVICE_UNAVAILABLE,
    AssetsError.StorageUnavailable,
    'The file storage is not available; try again later.',
  );
