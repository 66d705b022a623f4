import { Inject, Injectable } from '@nestjs/common';
import { DomainEvents, EventMap, RequestOrigin } from '../common/events/domain-event';
import { Actor, Grantor } from '../common/decorators/current-actor.decorator';
import { invalidOtp, OtpRefusal, OtpService } from '../auth/otp/otp.service';
import { PasswordPolicy } from '../auth/password-policy';
import { usersConfig, UsersConfig } from '../config/configuration';
import { assertGrantable } from '../rbac/grants';
import { DEFAULT_ROLE } from '../rbac/permissions';
import { RbacService } from '../rbac/rbac.service';
import { UserDto } from '../users/dto/user.dto';
import { InvitedUsers } from '../users/invited-users.service';
import { PasswordHasher } from '../users/password-hasher';
import { usersErrors } from '../users/users.errors';
import { InvitationMails } from './invitation-mails';

export interface Invitee {
  email: string;
  firstName?: string;
  lastName?: string;
  role?: string;
}

type InvitationEvent =
  | 'users.invited'
  | 'users.invitation_resent'
  | 'users.invitation_revoked'
  | 'users.invitation_accepted';

/**
 * Admin-created accounts: the account is `invited` and its owner gets a 6-digit code (the OTP
 * rules: single use, OTP_MAX_ATTEMPTS tries, INVITATION_TTL) to choose a password with, which
 * also verifies the address. An admin resends (a fresh code, also after expiry) or revokes.
 */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly invited: InvitedUsers,
    private readonly otps: OtpService,
    private readonly policy: PasswordPolicy,
    private readonly hasher: PasswordHasher,
    private readonly rbac: RbacService,
    private readonly mails: InvitationMails,
    private readonly events: DomainEvents,
    @Inject(usersConfig.KEY) private readonly config: UsersConfig,
  ) {}

  /**
   * Creates the invited account and mails its code. The role is checked the way `setRole` checks
   * it: an unknown role is 400, one with a permission the caller lacks 403, so `users:manage`
   * alone cannot invite an admin.
   */
  async invite(invitee: Invitee, actor: Grantor): Promise<UserDto> {
    const roleName = invitee.role ?? DEFAULT_ROLE;
    const role = await this.rbac.find(roleName);
    if (!role) throw usersErrors.unknownRole(roleName);
    assertGrantable(actor.permissions, role.permissions);
    const user = await this.invited.create({
      email: invitee.email,
      firstName: invitee.firstName?.trim() || undefined,
      lastName: invitee.lastName?.trim() || undefined,
      role: role.name,
    });
    await this.sendCode(user);
    this.announce('users.invited', user.id, actor, { role: role.name });
    return user;
  }

  /** An invitation for an account created some other way (an import without a password). */
  async inviteImported(user: UserDto): Promise<void> {
    await this.sendCode(user);
  }

  /** A fresh code replacing the old one (expired or not); 409 `not_invited` once accepted. */
  async resend(id: string, actor: Actor): Promise<UserDto> {
    const user = await this.invited.get(id);
    await this.sendCode(user);
    this.announce('users.invitation_resent', id, actor);
    return user;
  }

  /** Deletes the invited account, and so its code: a revoked code is refused like an unknown one. */
  async revoke(id: string, actor: Actor): Promise<void> {
    await this.invited.revoke(id);
    this.announce('users.invitation_revoked', id, actor);
  }

  /**
   * Sets the password and verifies the email. Whoever could probe learns nothing: an unknown
   * address, an account that is not invited, a wrong, used or expired code all answer 400
   * `invalid_otp` (the attempt budget still answers 429 once spent, as for every code).
   */
  async accept(email: string, code: string, password: string, origin: RequestOrigin) {
    this.policy.assertAcceptable(password);
    const found = await this.invited.findByEmail(email);
    if (!found) throw invalidOtp();
    try {
      await this.otps.consume(found.id, 'invitation', code);
    } catch (error) {
      if (error instanceof OtpRefusal && error.code === 'otp_expired') throw invalidOtp();
      throw error;
    }
    const user = await this.invited.accept(found.id, await this.hasher.hash(password));
    if (!user) throw invalidOtp(); // revoked or accepted in between
    this.announce('users.invitation_accepted', user.id, { id: user.id, origin });
    return user;
  }

  private async sendCode(user: UserDto): Promise<void> {
    const ttlMs = this.config.invitationTtlMs;
    const code = await this.otps.issue(user.id, 'invitation', { force: true, ttlMs });
    if (code) this.mails.send(user.email, code, user.locale);
  }

  private announce(
    action: InvitationEvent,
    id: string,
    actor: Actor,
    details?: Record<string, unknown>,
  ): void {
    this.events.emit(action, {
      actorId: actor.id,
      targetType: 'user',
      targetId: id,
      ...actor.origin,
      outcome: 'success',
      ...(details ? { details } : {}),
    } as EventMap[typeof action]);
  }
}
