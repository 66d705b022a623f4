import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { Clock } from '../common/time/clock';
import { otpConfig, OtpConfig, usersConfig, UsersConfig } from '../config/configuration';
import { UsersService } from './users.service';

/**
 * Deletes sign-ups that never verified: once their code has expired (OTP_TTL) and the grace
 * period after it (PENDING_ACCOUNT_TTL) has passed, so the address and username are free again.
 * Idempotent; a run that stops half-way is finished by the next.
 */
@Injectable()
export class PurgePendingJob {
  private readonly logger = new Logger(PurgePendingJob.name);

  constructor(
    private readonly users: UsersService,
    private readonly clock: Clock,
    @Inject(otpConfig.KEY) private readonly otp: OtpConfig,
    @Inject(usersConfig.KEY) private readonly config: UsersConfig,
  ) {}

  @Cron(CronExpression.EVERY_HOUR)
  async run(): Promise<number> {
    const cutoff = new Date(
      this.clock.now().getTime() - this.otp.ttlMs - this.config.pendingAccountTtlMs,
    );
    const purged = await this.users.deletePendingBefore(cutoff);
    if (purged > 0)
      this.logger.log(`deleted ${purged} pending accounts created before ${cutoff.toISOString()}`);
    return purged;
  }
}
