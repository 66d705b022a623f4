import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { RequestOrigin } from '../../common/events/domain-event';
import { UserDto } from '../../users/dto/user.dto';
import { OtpRefusal } from '../otp/otp.service';
import { SecondStep, SecondStepAnswer } from '../second-steps/second-step';
import { PasskeyAssertions } from './passkey-assertions.service';
import { PasskeyChallenges } from './passkey-challenges.service';
import { Passkey } from './passkey.schema';
import { PasskeyError } from './passkeys.errors';
import { WebAuthn } from './webauthn';

/** A refusal in the lockout's terms (OtpRefusal): `guess` when a wrong assertion was compared. */
const refusal = (status: HttpStatus, code: PasskeyError, detail: string, guess: boolean) =>
  new OtpRefusal(status, code, detail, guess);

/**
 * A passkey as the second step after a password (or a provider), for accounts that have one.
 * The client asks for the options with its mfaToken (the challenge is bound to the account and
 * to the sign-in attempt), runs `navigator.credentials.get`, and sends the answer.
 */
@Injectable()
export class PasskeyStep implements SecondStep {
  readonly name = 'passkey';

  constructor(
    @InjectModel(Passkey.name) private readonly model: Model<Passkey>,
    private readonly challenges: PasskeyChallenges,
    private readonly assertions: PasskeyAssertions,
    private readonly webauthn: WebAuthn,
  ) {}

  follows(): boolean {
    return true;
  }

  async has(user: UserDto): Promise<boolean> {
    return (await this.model.exists({ userId: user.id })) !== null;
  }

  /** Nothing to send: the client fetches the options when it is ready to ask for the touch. */
  async begin(): Promise<void> {}

  async options(user: UserDto, attemptId: string): Promise<Record<string, unknown>> {
    const challenge = await this.challenges.issue('second_step', user.id, attemptId);
    const own = await this.model.find({ userId: user.id }).lean();
    return (await this.webauthn.authenticationOptions(challenge, own)) as never;
  }

  async check(
    user: UserDto,
    attemptId: string,
    answer: SecondStepAnswer,
    origin: RequestOrigin,
  ): Promise<'passkey'> {
    const invalidChallenge = () =>
      refusal(
        HttpStatus.BAD_REQUEST,
        PasskeyError.ChallengeInvalid,
        'The passkey challenge is unknown, used or expired; start again.',
        false,
      );
    if (typeof answer === 'string') throw invalidChallenge();
    const { credential } = answer;
    const challenge = this.webauthn.challengeOf(credential);
    if (
      !challenge ||
      !(await this.challenges.consume(challenge, 'second_step', user.id, attemptId))
    )
      throw invalidChallenge();
    const passkey = await this.assertions.find(credential.id, user.id);
    if (!passkey)
      throw refusal(
        HttpStatus.UNAUTHORIZED,
        PasskeyError.UnknownCredential,
        'This passkey is not registered for this account.',
        true,
      );
    const outcome = await this.assertions.verify(passkey, credential, challenge, origin);
    if (outcome === 'cloned')
      throw refusal(
        HttpStatus.UNAUTHORIZED,
        PasskeyError.CounterRegressed,
        'This passkey looks cloned and was refused; sign in another way.',
        true,
      );
    if (outcome === 'rejected')
      throw refusal(
        HttpStatus.UNAUTHORIZED,
        PasskeyError.Rejected,
        'The passkey could not be verified.',
        true,
      );
    return 'passkey';
  }
}
