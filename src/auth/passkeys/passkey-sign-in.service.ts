import { Injectable } from '@nestjs/common';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { DomainException } from '../../common/errors/domain.exception';
import { DomainEvents, RequestOrigin } from '../../common/events/domain-event';
import { UsersService } from '../../users/users.service';
import { TokenPairDto } from '../dto/token-pair.dto';
import { LockoutService } from '../lockout/lockout.service';
import { assertMaySignIn } from '../sign-in/may-sign-in';
import { SignInService } from '../sign-in/sign-in.service';
import { PasskeyChallenges } from './passkey-challenges.service';
import { PasskeyAssertions } from './passkey-assertions.service';
import { passkeyErrors } from './passkeys.errors';
import { WebAuthn } from './webauthn';

/**
 * Username-less sign-in with a passkey. The passkey holds the key and the authenticator verified
 * the user (a fingerprint, a PIN): both factors at once, so a session follows without a second
 * step. The account's lockout applies as to a password: a refused assertion is a failure.
 */
@Injectable()
export class PasskeySignIn {
  constructor(
    private readonly assertions: PasskeyAssertions,
    private readonly challenges: PasskeyChallenges,
    private readonly webauthn: WebAuthn,
    private readonly users: UsersService,
    private readonly lockout: LockoutService,
    private readonly signIn: SignInService,
    private readonly events: DomainEvents,
  ) {}

  async options(): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return this.webauthn.authenticationOptions(await this.challenges.issue('sign_in'));
  }

  async verify(response: AuthenticationResponseJSON, origin: RequestOrigin): Promise<TokenPairDto> {
    const challenge = this.webauthn.challengeOf(response);
    // Used up before anything else: a refused ceremony cannot be retried with the same challenge.
    if (!challenge || !(await this.challenges.consume(challenge, 'sign_in')))
      throw passkeyErrors.challengeInvalid();
    const passkey = await this.assertions.find(response.id);
    const user = passkey ? await this.users.findById(String(passkey.userId)) : null;
    if (!passkey || !user) {
      this.events.emit('auth.login.failed', {
        ...origin,
        outcome: 'failure',
        details: { reason: 'unknown_passkey' },
      });
      throw passkeyErrors.unknownCredential();
    }
    const attempt = await this.lockout.begin(
      { identifier: user.email, userId: user.id, email: user.email, locale: user.locale },
      origin,
    );
    const refuse = async (reason: string, error: DomainException) => {
      await this.lockout.failed(attempt);
      this.events.emit('auth.login.failed', {
        targetType: 'user',
        targetId: user.id,
        ...origin,
        outcome: 'failure',
        details: { reason, passkeyId: String(passkey._id) },
      });
      return error;
    };
    const outcome = await this.assertions
      .verify(passkey, response, challenge, origin)
      .catch(async (error: unknown) => {
        // Not a refusal (the library or the database failed): nothing was guessed, the slot goes back.
        await this.lockout.void(attempt);
        throw error;
      });
    if (outcome === 'cloned')
      throw await refuse('passkey_cloned', passkeyErrors.counterRegressed());
    if (outcome === 'rejected') throw await refuse('passkey_rejected', passkeyErrors.rejected());
    await this.lockout.succeeded(attempt);
    assertMaySignIn(user);
    return this.signIn.startSession(user, origin, { firstFactor: 'passkey' });
  }
}
