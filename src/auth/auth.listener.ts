import { Injectable } from '@nestjs/common';
import { Emitted, OnDomainEvent } from '../common/events/domain-event';
import { LockoutService } from './lockout.service';
import { OtpService } from './otp/otp.service';

/** What the auth feature owns of a user goes with them: one-time codes, budgets and lock counters. */
@Injectable()
export class AuthListener {
  constructor(
    private readonly otps: OtpService,
    private readonly lockout: LockoutService,
  ) {}

  @OnDomainEvent('users.deleting')
  async onUserDeleting({ userId }: Emitted<'users.deleting'>): Promise<void> {
    await this.otps.deleteAllOf(userId);
    await this.lockout.forgetUser(userId);
  }
}
