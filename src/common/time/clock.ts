import { Injectable } from '@nestjs/common';

/** The source of "now" for every expiry decision, so tests can move time without sleeping. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }

  /** Whole seconds from now until `at`, at least 1: what a `Retry-After` header says. */
  secondsUntil(at: Date): number {
    return Math.max(1, Math.ceil((at.getTime() - this.now().getTime()) / 1000));
  }
}
