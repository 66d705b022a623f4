import { ModuleMetadata, Provider } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { getConnectionToken, MongooseModule, ModelDefinition } from '@nestjs/mongoose';
import { Test, TestingModule } from '@nestjs/testing';
import { Connection } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { DomainEvents } from '../../src/common/events/domain-event';
import { Clock } from '../../src/common/time/clock';
import { CacheInvalidations } from '../../src/cluster/cache-invalidations';
import { JobLease, JobLeaseSchema } from '../../src/cluster/job-lease.schema';
import { JobLeases } from '../../src/cluster/job-leases.service';
import { REDIS } from '../../src/cluster/redis';
import { TestClock } from './test-app';

export interface UnitModule {
  moduleRef: TestingModule;
  clock: TestClock;
  events: EventEmitter2;
  db: Connection;
  close(): Promise<void>;
}

/**
 * A service under test with its real models on the run's database (a database of its own), the
 * test clock and the domain-event bus: for unit specs of rules that live in a query.
 */
export async function createUnitModule(
  options: { models: ModelDefinition[]; providers: Provider[] } & Pick<ModuleMetadata, 'imports'>,
): Promise<UnitModule> {
  const base = process.env.TEST_MONGO_BASE_URI;
  if (!base)
    throw new Error(
      'TEST_MONGO_BASE_URI is unset: run through jest (global-setup starts the database)',
    );
  const file = basename(expect.getState().testPath ?? 'spec')
    .replace(/\W+/g, '_')
    .slice(0, 30);
  const clock = new TestClock();
  const events = new EventEmitter2({ wildcard: true, delimiter: '.' });
  const moduleRef = await Test.createTestingModule({
    imports: [
      MongooseModule.forRoot(`${base}/u_${file}_${randomBytes(4).toString('hex')}`),
      MongooseModule.forFeature([
        ...options.models,
        { name: JobLease.name, schema: JobLeaseSchema },
      ]),
      ...(options.imports ?? []),
    ],
    providers: [
      { provide: Clock, useValue: clock },
      { provide: EventEmitter2, useValue: events },
      DomainEvents,
      // The cluster's building blocks as one instance without Redis has them.
      { provide: REDIS, useValue: null },
      CacheInvalidations,
      JobLeases,
      ...options.providers,
    ],
  }).compile();
  await moduleRef.init();
  const db = moduleRef.get<Connection>(getConnectionToken());
  // Indexes first: on mongo-java-server a query racing an index build can fail.
  await Promise.all(Object.values(db.models).map((model) => model.init()));
  return {
    moduleRef,
    clock,
    events,
    db,
    async close() {
      await db.dropDatabase().catch(() => undefined);
      await moduleRef.close();
    },
  };
}
