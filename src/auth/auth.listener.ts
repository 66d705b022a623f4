import { Injectable } from '@nestjs/common';
import { Emitted, OnDomainEvent } from '../common/events/domain-event';
import { LockoutService } from './lockout/lockout.service';
import { IdentitiesService } from './oauth/identities.service';
import { OAuthFlows } from './oauth/oauth-flows.service';
import { OtpService } from './otp/otp.service';
import { PasskeyChallenges } from './passkeys/passkey-challenges.service';
import { PasskeysService } from './passkeys/passkeys.service';
import { TotpService } from './totp/totp.service';

/**
 * What the auth feature owns of a user goes with them: one-time codes, budgets, lock counters,
 * the TOTP credential, linked provider identities, unfinished provider flows and passkeys.
 */
@Injectable()
export class AuthListener {
  constructor(
    private readonly otps: OtpService,
    private readonly lockout: LockoutService,
    private readonly totp: TotpService,
    private readonly identities: IdentitiesService,
    private readonly oauthFlows: OAuthFlows,
    private readonly passkeys: PasskeysService,
    private readonly passkeyChallenges: PasskeyChallenges,
  ) {}

  @OnDomainEvent('users.deleting')
  async onUserDeleting({ userId }: Emitted<'users.deleting'>): Promise<void> {
    await this.otps.deleteAllOf(userId);
    await this.lockout.forgetUser(userId);
    await this.totp.remove(userId);
    await this.identities.deleteAllOf(userId);
    await this.oauthFlows.forgetUser(userId);
    await this.passkeys.deleteAllOf(userId);
    await this.passkeyChallenges.deleteAllOf(userId);
  }
}
