import { Inject, Injectable } from '@nestjs/common';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { onFirstUse } from '../../common/lazy/on-first-use';
import { webauthnConfig, WebAuthnConfig } from '../../config/configuration';
import { UserDto } from '../../users/dto/user.dto';
import { CHALLENGE_TTL_MS } from './passkey-challenges.service';

/** A credential as stored, for a ceremony. */
export interface StoredCredential {
  credentialId: string;
  publicKey: string;
  counter: number;
  transports: string[];
}

export interface RegisteredCredential extends StoredCredential {
  deviceType: string;
  backedUp: boolean;
}

export interface Assertion {
  newCounter: number;
  deviceType: string;
  backedUp: boolean;
}

const bytes = (base64url: string) => new Uint8Array(Buffer.from(base64url, 'base64url'));

/**
 * @simplewebauthn/server with its ASN.1 and X.509 stack is ~300 modules that only a passkey
 * ceremony needs: it loads on the first one, not at start, and is shared from then on.
 */
const webauthnLibrary = onFirstUse(() => import('@simplewebauthn/server'));

/**
 * The WebAuthn ceremonies, through the certified library: options and verification with our
 * relying party (WEBAUTHN_RP_ID, WEBAUTHN_ORIGINS), user verification always required. Every
 * verification failure is answered `undefined`: the caller says why to the client.
 */
@Injectable()
export class WebAuthn {
  constructor(@Inject(webauthnConfig.KEY) private readonly config: WebAuthnConfig) {}

  /** Discoverable credentials preferred (username-less sign-in), user verification required. */
  async registrationOptions(
    user: UserDto,
    challenge: string,
    exclude: StoredCredential[],
  ): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const { generateRegistrationOptions } = await webauthnLibrary();
    return generateRegistrationOptions({
      rpName: this.config.rpName,
      rpID: this.config.rpId,
      userName: user.email,
      userID: new Uint8Array(Buffer.from(user.id, 'utf8')),
      userDisplayName: [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email,
      challenge: bytes(challenge),
      timeout: CHALLENGE_TTL_MS,
      attestationType: 'none',
      excludeCredentials: exclude.map((c) => ({ id: c.credentialId, transports: c.transports })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
    });
  }

  /**
   * Username-less (no `allow`): the authenticator offers the passkeys it holds for us; as a
   * second step, the account's own passkeys.
   */
  async authenticationOptions(
    challenge: string,
    allow: StoredCredential[] = [],
  ): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const { generateAuthenticationOptions } = await webauthnLibrary();
    return generateAuthenticationOptions({
      rpID: this.config.rpId,
      allowCredentials: allow.map((c) => ({ id: c.credentialId, transports: c.transports })),
      challenge: bytes(challenge),
      timeout: CHALLENGE_TTL_MS,
      userVerification: 'required',
    });
  }

  /** The challenge a response signed, read from its client data; undefined when unreadable. */
  challengeOf(response: { response: { clientDataJSON: string } }): string | undefined {
    try {
      const data = JSON.parse(
        Buffer.from(response.response.clientDataJSON, 'base64url').toString(),
      );
      return typeof (data as { challenge?: unknown }).challenge === 'string'
        ? (data as { challenge: string }).challenge
        : undefined;
    } catch {
      return undefined;
    }
  }

  async verifyRegistration(
    response: RegistrationResponseJSON,
    challenge: string,
  ): Promise<RegisteredCredential | undefined> {
    // Outside the try: a library that cannot load is an error, not a refused credential.
    const { verifyRegistrationResponse } = await webauthnLibrary();
    try {
      const { verified, registrationInfo } = await verifyRegistrationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: this.config.origins,
        expectedRPID: this.config.rpId,
        requireUserVerification: true,
      });
      if (!verified || !registrationInfo?.userVerified) return undefined;
      const { credential } = registrationInfo;
      return {
        credentialId: credential.id,
        publicKey: Buffer.from(credential.publicKey).toString('base64url'),
        counter: credential.counter,
        transports: credential.transports ?? [],
        deviceType: registrationInfo.credentialDeviceType,
        backedUp: registrationInfo.credentialBackedUp,
      };
    } catch {
      return undefined;
    }
  }

  /**
   * Signature, challenge, origin, RP id and user verification. The counter is not checked here
   * (the library is given 0): the caller compares it with the stored one after the signature
   * holds, so only a genuine assertion can report a cloned authenticator.
   */
  async verifyAssertion(
    response: AuthenticationResponseJSON,
    challenge: string,
    stored: StoredCredential,
  ): Promise<Assertion | undefined> {
    const { verifyAuthenticationResponse } = await webauthnLibrary();
    try {
      const { verified, authenticationInfo } = await verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: this.config.origins,
        expectedRPID: this.config.rpId,
        credential: {
          id: stored.credentialId,
          publicKey: bytes(stored.publicKey),
          counter: 0,
          transports: stored.transports as never,
        },
        requireUserVerification: true,
      });
      if (!verified || !authenticationInfo.userVerified) return undefined;
      return {
        newCounter: authenticationInfo.newCounter,
        deviceType: authenticationInfo.credentialDeviceType,
        backedUp: authenticationInfo.credentialBackedUp,
      };
    } catch {
      return undefined;
    }
  }
}
