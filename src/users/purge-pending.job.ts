import { Inject, Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { PurgeJob, ScheduledRun } from '../common/jobs/purge.job';
import { Clock } from '../common/time/clock';
import { otpConfig, OtpConfig, usersConfig, UsersConfig } from '../config/configuration';
import { AccountLifecycle } from './account-lifecycle.service';

/**
 * Deletes sign-ups that never verified: once their code has expired (OTP_TTL) and the grace
 * period after it (PENDING_ACCOUNT_TTL) has passed, so the address and username are free again.
 * Idempotent; a run that stops half-way is finished by the next.
 */
@Injectable()
export class PurgePendingJob extends PurgeJob {
  constructor(
    private readonly lifecycle: AccountLifecycle,
    private readonly clock: Clock,
    @Inject(otpConfig.KEY) private readonly otp: OtpConfig,
    @Inject(usersConfig.KEY) private readonly config: UsersConfig,
  ) {
    super('pending accounts that never verified');
  }

  @Cron(CronExpression.EVERY_HOUR, { name: 'purge-pending-accounts' })
  tick(): Promise<ScheduledRun> {
    return this.runScheduled();
  }

  protected purge(): Promise<number> {
    return this.lifecycle.deletePendingBefore(
      new Date(this.clock.now().getTime() - this.otp.ttlMs - this.config.pendingAccountTtlMs),
    );
  }
}
