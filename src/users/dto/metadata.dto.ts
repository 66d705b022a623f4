import { Optional } from '../../common/dto/fields';
import { MetadataField } from '../metadata';
import type { Metadata } from '../metadata';

/**
 * Each slot given replaces the stored one whole (`{}` empties it): a JSON object of at most
 * 8 KiB whose keys, at any depth, neither start with `$` nor contain `.`.
 */
export class AdminMetadataDto {
  /** Read by the user, written by admins. */
  @Optional()
  @MetadataField()
  publicMetadata?: Metadata;

  /** Admins only. */
  @Optional()
  @MetadataField()
  privateMetadata?: Metadata;

  /** Written by the user; admins may correct it. */
  @Optional()
  @MetadataField()
  unsafeMetadata?: Metadata;
}

export class UnsafeMetadataDto {
  /** Your own custom data (replaced whole; `{}` empties it). */
  @MetadataField()
  unsafeMetadata!: Metadata;
}
