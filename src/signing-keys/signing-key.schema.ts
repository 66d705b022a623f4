import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** The public half of an EC P-256 key as a JWK (RFC 7518 §6.2.1). */
export interface PublicEcJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}

/**
 * One key of the signing key set, shared by every instance. `_id` is the key's sequence number:
 * the next key is `_id` + 1, so of several instances (or the job and an operator) adding the same
 * key at once, the built-in `_id` index lets exactly one win, with no index build to wait for.
 * A key signs from `activatesAt` until a later key activates; its state follows from the dates.
 */
@Schema({ collection: 'signing_keys', versionKey: false })
export class SigningKey {
  @Prop({ type: Number, required: true })
  _id!: number;

  /** The JWK thumbprint (RFC 7638): the `kid` header of every token the key signs. */
  @Prop({ required: true })
  kid!: string;

  @Prop({ required: true })
  alg!: 'ES256';

  @Prop({ type: Object, required: true })
  publicJwk!: PublicEcJwk;

  /** The PKCS#8 PEM, AES-256-GCM encrypted (see SigningKeyCipher); never in clear. */
  @Prop({ required: true, select: false })
  privateKey!: string;

  /** Published in the JWKS from then on. */
  @Prop({ required: true })
  createdAt!: Date;

  /** Signs from then on, until a later key activates. */
  @Prop({ required: true })
  activatesAt!: Date;
}

export const SigningKeySchema = SchemaFactory.createForClass(SigningKey);
