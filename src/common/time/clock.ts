import { Injectable } from '@nestjs/common';

/** The source of "now" for every expiry decision, so tests can move time without sleeping. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
