import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { JobLeases } from '../cluster/job-leases.service';
import { RotationStep, SigningKeyRotation } from './signing-key-rotation.service';

/**
 * Every 5 minutes, on the one instance that takes the lease: publish the next key when it is
 * due, drop retired keys past their grace. Nothing to do when JWT_SIGNING_KEY pins the key.
 */
@Injectable()
export class RotateSigningKeysJob {
  private readonly logger = new Logger(RotateSigningKeysJob.name);

  constructor(
    private readonly rotation: SigningKeyRotation,
    private readonly leases: JobLeases,
  ) {}

  @Cron(CronExpression.EVERY_5_MINUTES, { name: 'rotate-signing-keys' })
  async tick(): Promise<RotationStep | null> {
    try {
      return (await this.leases.take(RotateSigningKeysJob.name)) ? await this.run() : null;
    } catch (err) {
      this.logger.error({ err }, 'could not take the lease to rotate the signing keys');
      return null;
    }
  }

  /** Runs now, lease or not (tests, and an operator's manual run); never throws. */
  async run(): Promise<RotationStep | null> {
    try {
      return await this.rotation.step();
    } catch (err) {
      this.logger.error({ err }, 'could not rotate the signing keys');
      return null;
    }
  }
}
