import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { Emitted, OnDomainEvent } from '../common/events/domain-event';
import { SECOND_STEP_METHODS, SecondStepMethod } from '../auth/second-steps/second-step-methods';
import { MetricsService } from './metrics.service';

const isSecondStepMethod = (value: unknown): value is SecondStepMethod =>
  SECOND_STEP_METHODS.includes(value as SecondStepMethod);

/**
 * Sign-in counters, fed by the domain events the auth services already emit for the audit log.
 * The listeners run in line with `emit` (not in the background): an increment cannot fail and
 * costs less than deferring it, and a scrape right after a response already counts it.
 */
@Injectable()
export class AuthMetricsListener {
  private readonly logins: Counter<'outcome'>;
  private readonly secondSteps: Counter<'method' | 'outcome'>;
  private readonly refreshReuse: Counter;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.logins = new Counter({
      name: 'auth_logins_total',
      help: 'Sign-ins: success (a session started, by password or provider), failure (a wrong email or password), locked (failures reached a lockout threshold: an account locked for an IP, or everywhere).',
      labelNames: ['outcome'],
      registers,
    });
    this.secondSteps = new Counter({
      name: 'auth_second_steps_total',
      help: `Sign-ins' second steps by method (${SECOND_STEP_METHODS.join(', ')}) and outcome (success, or failure: a wrong code).`,
      labelNames: ['method', 'outcome'],
      registers,
    });
    this.refreshReuse = new Counter({
      name: 'auth_refresh_token_reuse_total',
      help: 'Refresh tokens presented again after rotation (past the grace period): each ended its session as theft.',
      registers,
    });
    // Every series from zero, so a rate exists before the first event.
    for (const outcome of ['success', 'failure', 'locked']) this.logins.inc({ outcome }, 0);
    for (const method of SECOND_STEP_METHODS)
      for (const outcome of ['success', 'failure']) this.secondSteps.inc({ method, outcome }, 0);
  }

  @OnDomainEvent('auth.login.succeeded')
  onLoginSucceeded({ details }: Emitted<'auth.login.succeeded'>): void {
    this.logins.inc({ outcome: 'success' });
    if (isSecondStepMethod(details?.secondStep))
      this.secondSteps.inc({ method: details.secondStep, outcome: 'success' });
  }

  @OnDomainEvent('auth.login.failed')
  onLoginFailed(): void {
    this.logins.inc({ outcome: 'failure' });
  }

  @OnDomainEvent('auth.login.locked')
  onLoginLocked(): void {
    this.logins.inc({ outcome: 'locked' });
  }

  @OnDomainEvent('auth.second_step.failed')
  onSecondStepFailed({ details }: Emitted<'auth.second_step.failed'>): void {
    if (isSecondStepMethod(details?.method))
      this.secondSteps.inc({ method: details.method, outcome: 'failure' });
  }

  @OnDomainEvent('auth.refresh.reused')
  onRefreshReused(): void {
    this.refreshReuse.inc();
  }
}
