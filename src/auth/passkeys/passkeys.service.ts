import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { Model, Types } from 'mongoose';
import { notFound } from '../../common/errors/domain.exception';
import { isDuplicateKeyError } from '../../common/errors/mongo-errors';
import { DomainEvents, RequestOrigin } from '../../common/events/domain-event';
import { Clock } from '../../common/time/clock';
import { UserDto } from '../../users/dto/user.dto';
import { PasswordHasher } from '../../users/password-hasher';
import { UsersService } from '../../users/users.service';
import { LockoutService } from '../lockout/lockout.service';
import { IdentitiesService } from '../oauth/identities.service';
import { totpErrors } from '../totp/totp.errors';
import { PasskeyDto } from './dto/passkey.dto';
import { PasskeyChallenges } from './passkey-challenges.service';
import { Passkey } from './passkey.schema';
import { passkeyErrors } from './passkeys.errors';
import { WebAuthn } from './webauthn';

/** Without a password, adding a passkey needs a full sign-in this recent. */
export const STEP_UP_WINDOW_MS = 10 * 60_000;

/** The caller's passkeys: registration (after a step-up), list, rename, removal. */
@Injectable()
export class PasskeysService {
  constructor(
    @InjectModel(Passkey.name) private readonly model: Model<Passkey>,
    private readonly challenges: PasskeyChallenges,
    private readonly webauthn: WebAuthn,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly lockout: LockoutService,
    private readonly identities: IdentitiesService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  /**
   * The creation options for a new passkey, after a step-up: the password again (as one attempt
   * under the sign-in lockout) when the account has one, else a full sign-in in the last 10
   * minutes. A stolen access token alone cannot add a passkey.
   */
  async registrationOptions(
    userId: string,
    password: string | undefined,
    origin: RequestOrigin,
  ): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const credentials = await this.users.findCredentialsById(userId);
    if (!credentials) throw notFound('The user');
    const { user, passwordHash } = credentials;
    if (passwordHash) await this.confirmPassword(user, passwordHash, password, origin);
    else if (!this.signedInRecently(user)) throw passkeyErrors.stepUpRequired();
    const challenge = await this.challenges.issue('register', userId);
    const existing = await this.model.find({ userId }).lean();
    return this.webauthn.registrationOptions(user, challenge, existing);
  }

  /** Verifies the new credential against the caller's own challenge and stores it. */
  async register(
    userId: string,
    name: string,
    response: RegistrationResponseJSON,
    origin: RequestOrigin,
  ): Promise<PasskeyDto> {
    const user = await this.users.findById(userId);
    if (!user) throw notFound('The user');
    const challenge = this.webauthn.challengeOf(response);
    if (!challenge || !(await this.challenges.consume(challenge, 'register', userId)))
      throw passkeyErrors.challengeInvalid();
    const credential = await this.webauthn.verifyRegistration(response, challenge);
    if (!credential) throw passkeyErrors.rejected();
    let created: Passkey & { _id: Types.ObjectId };
    try {
      created = (
        await this.model.create({ ...credential, userId: new Types.ObjectId(userId), name })
      ).toObject();
    } catch (error) {
      if (isDuplicateKeyError(error)) throw passkeyErrors.alreadyRegistered();
      throw error;
    }
    this.events.emit('auth.passkey.added', {
      ...this.notified(user, origin),
      details: { passkeyId: String(created._id), backedUp: credential.backedUp },
    });
    return toDto(created);
  }

  async list(userId: string): Promise<PasskeyDto[]> {
    const passkeys = await this.model.find({ userId }).sort({ createdAt: 1 }).lean();
    return passkeys.map(toDto);
  }

  /** A user's passkeys as an admin sees them; 404 for an unknown user. */
  async listForAdmin(userId: string): Promise<PasskeyDto[]> {
    if (!(await this.users.findById(userId))) throw notFound('The user');
    return this.list(userId);
  }

  async countOf(userId: string): Promise<number> {
    return this.model.countDocuments({ userId });
  }

  async rename(
    userId: string,
    id: string,
    name: string,
    origin: RequestOrigin,
  ): Promise<PasskeyDto> {
    const renamed = await this.model
      .findOneAndUpdate({ _id: id, userId }, { $set: { name } }, { new: true })
      .lean();
    if (!renamed) throw notFound('The passkey');
    this.events.emit('auth.passkey.renamed', {
      actorId: userId,
      targetType: 'user',
      targetId: userId,
      ...origin,
      outcome: 'success',
      details: { passkeyId: id },
    });
    return toDto(renamed);
  }

  /**
   * Removes a passkey, unless it is the last way into the account (no password, no provider, no
   * other passkey): 409. Checked again after the removal and undone if it failed, so parallel
   * removals cannot take the last two together (the identities' unlink does the same).
   */
  async remove(userId: string, id: string, origin: RequestOrigin): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user) throw notFound('The passkey');
    const removed = await this.model
      .findOneAndDelete({ _id: id, userId })
      .select('+publicKey')
      .lean();
    if (!removed) throw notFound('The passkey');
    if (!(await this.otherWayIn(userId))) {
      await this.model.create(removed);
      throw passkeyErrors.lastSignInMethod();
    }
    this.events.emit('auth.passkey.removed', {
      ...this.notified(user, origin),
      details: { by: 'owner', passkeyId: id },
    });
  }

  /**
   * An admin removes every passkey of a user who lost their device(s); the user is mailed. Not
   * for the admin's own account (that is the owner's routes, which keep the last way in).
   */
  async removeAllByAdmin(adminId: string, userId: string, origin: RequestOrigin): Promise<void> {
    if (adminId === userId) throw passkeyErrors.ownAccount();
    const user = await this.users.findById(userId);
    if (!user) throw notFound('The user');
    const { deletedCount } = await this.model.deleteMany({ userId: new Types.ObjectId(userId) });
    if (deletedCount === 0) return; // nothing was there: nothing to tell
    this.events.emit('auth.passkey.removed', {
      ...this.notified(user, origin),
      actorId: adminId,
      details: { by: 'admin', count: deletedCount },
    });
  }

  async deleteAllOf(userId: string): Promise<void> {
    await this.model.deleteMany({ userId: new Types.ObjectId(userId) });
  }

  private async otherWayIn(userId: string): Promise<boolean> {
    if (await this.users.hasPassword(userId)) return true;
    if ((await this.identities.countOf(userId)) > 0) return true;
    return (await this.countOf(userId)) > 0;
  }

  private signedInRecently(user: UserDto): boolean {
    if (!user.lastLoginAt) return false;
    return this.clock.now().getTime() - Date.parse(user.lastLoginAt) <= STEP_UP_WINDOW_MS;
  }

  /** The password as one attempt under the sign-in lockout, like the TOTP setup. */
  private async confirmPassword(
    user: UserDto,
    passwordHash: string,
    password: string | undefined,
    origin: RequestOrigin,
  ): Promise<void> {
    if (password === undefined) throw passkeyErrors.passwordRequired();
    const attempt = await this.lockout.begin(
      { identifier: user.email, userId: user.id, email: user.email, locale: user.locale },
      origin,
    );
    let ok: boolean;
    try {
      ok = (await this.hasher.verify(password, passwordHash)).ok;
    } catch (error) {
      await this.lockout.void(attempt);
      throw error;
    }
    if (ok) return this.lockout.succeeded(attempt);
    await this.lockout.failed(attempt);
    throw totpErrors.wrongPassword();
  }

  private notified(user: UserDto, origin: RequestOrigin) {
    return {
      actorId: user.id,
      targetType: 'user',
      targetId: user.id,
      ...origin,
      outcome: 'success' as const,
      notify: { email: user.email, locale: user.locale },
    };
  }
}

function toDto(passkey: Passkey & { _id: Types.ObjectId }): PasskeyDto {
  return {
    id: String(passkey._id),
    name: passkey.name,
    deviceType: passkey.deviceType === 'multiDevice' ? 'multiDevice' : 'singleDevice',
    backedUp: passkey.backedUp,
    createdAt: passkey.createdAt.toISOString(),
    ...(passkey.lastUsedAt ? { lastUsedAt: passkey.lastUsedAt.toISOString() } : {}),
  };
}
