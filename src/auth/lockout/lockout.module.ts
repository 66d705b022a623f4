import { Module } from '@nestjs/common';
import { LockoutService } from './lockout.service';

/** The sign-in lockout, shared by every flow that checks a password, a code or a passkey. */
@Module({ providers: [LockoutService], exports: [LockoutService] })
export class LockoutModule {}
