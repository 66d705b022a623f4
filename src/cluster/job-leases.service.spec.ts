import { Injectable, Logger } from '@nestjs/common';
import { createUnitModule, UnitModule } from '../../test/support/unit-db';
import { PurgeJob, ScheduledRun } from '../common/jobs/purge.job';
import { JOB_LEASE_MS, JobLeases } from './job-leases.service';

@Injectable()
class CountingJob extends PurgeJob {
  runs = 0;
  constructor() {
    super('things');
  }
  tick(): Promise<ScheduledRun> {
    return this.runScheduled();
  }
  protected async purge(): Promise<number> {
    this.runs += 1;
    return 2;
  }
}

describe(JobLeases.name, () => {
  let unit: UnitModule;
  let leases: JobLeases;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    unit = await createUnitModule({ models: [], providers: [CountingJob] });
    leases = unit.moduleRef.get(JobLeases);
  });
  afterAll(async () => {
    await unit.close();
    Logger.overrideLogger(new Logger());
  });

  it('is taken once; taken again only after it runs out (a crashed holder frees it)', async () => {
    expect(await leases.take('a')).toBe(true);
    expect(await leases.take('a')).toBe(false);
    expect(await leases.take('b')).toBe(true); // one lease per job
    unit.clock.advance(JOB_LEASE_MS - 1_000);
    expect(await leases.take('a')).toBe(false);
    unit.clock.advance(1_000);
    expect(await leases.take('a')).toBe(true);
  });

  it('has exactly one winner among racing instances, round after round', async () => {
    for (let round = 0; round < 5; round += 1) {
      unit.clock.advance(JOB_LEASE_MS);
      const taken = await Promise.all(Array.from({ length: 20 }, () => leases.take('race')));
      expect(taken.filter(Boolean)).toHaveLength(1);
    }
  });

  it('lets a scheduled tick run only while it holds the lease; a direct run always runs', async () => {
    const job = unit.moduleRef.get(CountingJob);
    unit.clock.advance(JOB_LEASE_MS);
    const ticks = await Promise.all([job.tick(), job.tick(), job.tick()]);
    expect(ticks.filter((t) => t.ran)).toEqual([{ ran: true, removed: 2 }]);
    expect(job.runs).toBe(1);
    expect(await job.run()).toBe(2);
    unit.clock.advance(JOB_LEASE_MS);
    expect(await job.tick()).toEqual({ ran: true, removed: 2 });
  });
});
