import { Global, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { MongooseModule } from '@nestjs/mongoose';
import { BackgroundWork } from './background/background-work';
import { DomainEvents } from './events/domain-event';
import { Counter, CounterSchema } from './rate/counter.schema';
import { PurgeCountersJob } from './rate/purge-counters.job';
import { WindowCounter } from './rate/window-counter.service';
import { ShutdownState } from './lifecycle/shutdown';
import { Clock } from './time/clock';

/**
 * Process-wide building blocks every feature may inject: clock, domain-event bus, counters,
 * background work, shutdown state.
 */
@Global()
@Module({
  imports: [
    EventEmitterModule.forRoot({ wildcard: true, delimiter: '.' }),
    MongooseModule.forFeature([{ name: Counter.name, schema: CounterSchema }]),
  ],
  providers: [Clock, DomainEvents, WindowCounter, BackgroundWork, PurgeCountersJob, ShutdownState],
  exports: [Clock, DomainEvents, WindowCounter, BackgroundWork, ShutdownState],
})
export class CommonModule {}
