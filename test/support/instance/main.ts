/**
 * One app instance in a child process, for the multi-process specs (compiled by `build.ts`): `bootstrap` exactly as
 * `npm start` runs it (configuration from the environment the parent passes), reporting its port
 * over IPC and answering the parent's requests to tick the scheduled jobs.
 */
import { DiscoveryService } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PurgeJob, ScheduledRun } from '../../../src/common/jobs/purge.job';
import { bootstrap, startupFailure } from '../../../src/main';

export type ToInstance = { type: 'tick' };
export type FromInstance =
  | { type: 'listening'; port: number }
  | { type: 'ticked'; runs: Record<string, ScheduledRun> }
  | { type: 'failed'; message: string };

const send = (message: FromInstance) => process.send?.(message);

bootstrap(join(tmpdir(), 'no-such-env-file'))
  .then((app) => {
    // The spec fires the ticks itself: a real one on the clock's 5-minute mark would hold a lease.
    for (const cron of app.get(SchedulerRegistry).getCronJobs().values()) void cron.stop();
    const jobs = app
      .get(DiscoveryService)
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is PurgeJob => instance instanceof PurgeJob);
    process.on('message', (message: ToInstance) => {
      if (message.type !== 'tick') return;
      // Every job's scheduled tick at once, as the scheduler fires them.
      void Promise.all(jobs.map(async (job) => [job.constructor.name, await job.tick()])).then(
        (runs) => send({ type: 'ticked', runs: Object.fromEntries(runs) }),
      );
    });
    send({ type: 'listening', port: (app.getHttpServer().address() as AddressInfo).port });
  })
  .catch((error: unknown) => {
    send({ type: 'failed', message: startupFailure(error) });
    process.exit(1);
  });
