import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { DomainException } from '../../common/errors/domain.exception';
import { Clock } from '../../common/time/clock';
import { jwtConfig, JwtConfig, otpConfig, OtpConfig } from '../../config/configuration';
import { SIGNING_ALGORITHM } from '../../signing-keys/key-material';
import { SigningKeys } from '../../signing-keys/signing-keys.service';
import { UserDto } from '../../users/dto/user.dto';
import { TokenPairDto } from '../dto/token-pair.dto';
import { SecondStepName } from '../second-steps/second-step-methods';

/** Claims of an access token (besides iss, aud, iat, exp, jti). */
export interface AccessClaims {
  sub: string;
  sid: string;
  role: string;
  typ: 'access';
  /** RFC 8693 actor: the admin acting as `sub` (impersonation). */
  act?: { sub: string };
}

/** Claims of the short-lived token between the password step and the second step. */
export interface MfaClaims {
  sub: string;
  /** The login attempt this token belongs to. */
  aid: string;
  /** The second step it was issued for. */
  mth: SecondStepName;
  typ: 'mfa';
}

export const ALGORITHM = SIGNING_ALGORITHM;

/**
 * Signs and checks JWTs: ES256 with the key set's current key, its `kid` in the header, so any
 * service holding the JWKS can verify. Keys are KeyObjects parsed once by the key set:
 * jsonwebtoken re-parses a PEM or string key on every call. Access and mfa tokens differ in
 * `typ` and audience, so neither is accepted as the other.
 */
@Injectable()
export class TokenService {
  private readonly mfaAudience: string;

  constructor(
    private readonly jwt: JwtService,
    @Inject(jwtConfig.KEY) private readonly config: JwtConfig,
    @Inject(otpConfig.KEY) private readonly otp: OtpConfig,
    private readonly clock: Clock,
    private readonly keys: SigningKeys,
  ) {
    this.mfaAudience = `${config.audience}:mfa`;
  }

  pair(user: UserDto, sessionId: string, refreshToken: string): TokenPairDto {
    const expiresIn = Math.floor(this.config.accessTtlMs / 1000);
    const accessToken = this.access(user, sessionId, expiresIn);
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn, user };
  }

  /**
   * An access token for an admin acting as `user`: `act: { sub: <admin id> }` (RFC 8693, section
   * 4.1), on a session of its own; no refresh token, so it ends with the token.
   */
  impersonation(user: UserDto, sessionId: string, adminId: string, expiresIn: number): string {
    return this.access(user, sessionId, expiresIn, { sub: adminId });
  }

  private access(
    user: UserDto,
    sessionId: string,
    expiresIn: number,
    act?: { sub: string },
  ): string {
    const claims: AccessClaims = {
      sub: user.id,
      sid: sessionId,
      role: user.role,
      typ: 'access',
      ...(act ? { act } : {}),
    };
    return this.jwt.sign(
      { ...claims, iat: this.nowSeconds() },
      {
        ...this.signingKey(),
        issuer: this.config.issuer,
        audience: this.config.audience,
        expiresIn,
        jwtid: randomUUID(),
      },
    );
  }

  mfaToken(userId: string, attemptId: string, method: SecondStepName): string {
    const claims: MfaClaims = { sub: userId, aid: attemptId, mth: method, typ: 'mfa' };
    return this.jwt.sign(
      { ...claims, iat: this.nowSeconds() },
      {
        ...this.signingKey(),
        issuer: this.config.issuer,
        audience: this.mfaAudience,
        expiresIn: Math.floor(this.otp.ttlMs / 1000),
      },
    );
  }

  /**
   * An mfa token another instance signed with a key it has just added is as good as an access
   * token in the same case: an unknown kid reloads the key set first (rate-limited).
   */
  async verifyMfaToken(token: string): Promise<MfaClaims> {
    try {
      const publicKey = await this.keys.resolveVerifier(token);
      if (!publicKey) throw new Error('no such key');
      const claims = this.jwt.verify<MfaClaims & { aud: string }>(token, {
        publicKey: publicKey as unknown as string, // jsonwebtoken takes KeyObjects; the types lag
        algorithms: [ALGORITHM],
        issuer: this.config.issuer,
        audience: this.mfaAudience,
        clockTimestamp: this.nowSeconds(),
      });
      if (claims.typ !== 'mfa' || typeof claims.aid !== 'string') throw new Error('wrong type');
      return claims;
    } catch {
      throw this.invalidMfaToken();
    }
  }

  invalidMfaToken(): DomainException {
    return new DomainException(
      HttpStatus.UNAUTHORIZED,
      'invalid_mfa_token',
      'The sign-in step has expired or is not valid; sign in again.',
    );
  }

  private signingKey() {
    const key = this.keys.signer();
    return { privateKey: key.privateKey, keyid: key.kid, algorithm: ALGORITHM } as const;
  }

  /** Issued-at and expiry follow the injected clock, like every other expiry decision. */
  private nowSeconds(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }
}
