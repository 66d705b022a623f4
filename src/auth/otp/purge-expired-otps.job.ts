import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { PurgeJob, ScheduledRun } from '../../common/jobs/purge.job';
import { OtpService } from './otp.service';

@Injectable()
export class PurgeExpiredOtpsJob extends PurgeJob {
  constructor(private readonly otps: OtpService) {
    super('expired one-time codes');
  }

  @Cron(CronExpression.EVERY_10_MINUTES, { name: 'purge-expired-otps' })
  tick(): Promise<ScheduledRun> {
    return this.runScheduled();
  }

  protected purge(): Promise<number> {
    return this.otps.purgeExpired();
  }
}
