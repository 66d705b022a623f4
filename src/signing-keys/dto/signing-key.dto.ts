import { ApiProperty } from '@nestjs/swagger';

/** A key of the signing key set, as an operator sees it: never any private material. */
export class SigningKeyDto {
  /** The `kid` header of the tokens it signs (its RFC 7638 JWK thumbprint). */
  @ApiProperty({ example: 'x3Vv3V2gJ1yqvYzq5k2Qm2iR6mQ1P0tq6n2sGkqkM0s' })
  kid!: string;

  @ApiProperty({ enum: ['ES256'] })
  alg!: 'ES256';

  /**
   * `next`: published, not signing yet; `current`: signs new tokens; `retired`: replaced, still
   * verifies the tokens it signed until `dropsAt`.
   */
  @ApiProperty({ enum: ['next', 'current', 'retired'] })
  state!: 'next' | 'current' | 'retired';

  /** Published in the JWKS since. */
  createdAt!: string;

  /** Signs (or signed) from. */
  activatesAt!: string;

  /** When a later key replaced it (retired keys). */
  retiredAt?: string;

  /** When it stops verifying and leaves the set (retired keys). */
  dropsAt?: string;
}

export class SigningKeyListDto {
  /** Newest first. */
  items!: SigningKeyDto[];
}

/** One public key of the set (RFC 7517 §4, RFC 7518 §6.2). */
export class JwkDto {
  @ApiProperty({ enum: ['EC'] })
  kty!: 'EC';

  @ApiProperty({ enum: ['P-256'] })
  crv!: 'P-256';

  /** The x coordinate, base64url. */
  x!: string;

  /** The y coordinate, base64url. */
  y!: string;

  /** Matches the `kid` header of the tokens this key signed. */
  kid!: string;

  @ApiProperty({ enum: ['sig'] })
  use!: 'sig';

  @ApiProperty({ enum: ['ES256'] })
  alg!: 'ES256';
}

/** The public keys that verify this service's access tokens (RFC 7517 §5). */
export class JwkSetDto {
  keys!: JwkDto[];
}
