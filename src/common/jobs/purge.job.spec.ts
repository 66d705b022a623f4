import { Logger } from '@nestjs/common';
import { PurgeJob, ScheduledRun } from './purge.job';

class FakePurge extends PurgeJob {
  constructor(private readonly outcome: () => Promise<number>) {
    super('things');
  }
  tick(): Promise<ScheduledRun> {
    return this.runScheduled();
  }
  protected purge(): Promise<number> {
    return this.outcome();
  }
}

describe(PurgeJob.name, () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new Logger()));

  it('returns what the purge removed', async () => {
    await expect(new FakePurge(async () => 3).run()).resolves.toBe(3);
  });

  it('never throws into the scheduler: a failing purge is logged and counts as none', async () => {
    await expect(
      new FakePurge(() => Promise.reject(new Error('database down'))).run(),
    ).resolves.toBe(0);
  });
});
