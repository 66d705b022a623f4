import { Global, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { DomainEvents } from './events/domain-event';
import { Clock } from './time/clock';

/** Process-wide building blocks every feature may inject: the clock and the domain-event bus. */
@Global()
@Module({
  imports: [EventEmitterModule.forRoot({ wildcard: true, delimiter: '.' })],
  providers: [Clock, DomainEvents],
  exports: [Clock, DomainEvents],
})
export class CommonModule {}
