import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InjectConnection } from '@nestjs/mongoose';
import type { FastifyInstance } from 'fastify';
import { Connection, ConnectionStates } from 'mongoose';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { metricsConfig, MetricsConfig } from '../config/configuration';
import { MailService } from '../mail/mail.service';
import { SessionsService } from '../sessions/sessions.service';
import { HttpMetrics } from './http-metrics';

/** How long a scrape waits for the live-session count (the health probe's ping waits as long). */
const COUNT_TIMEOUT_MS = 1000;

/** `promise`, or a rejection once `ms` have passed. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The app's metrics: one prom-client registry per app (never the global one, so several apps in
 * one process, as in the tests, each count their own), holding Node's and the process's default
 * metrics (event-loop lag among them) and what is read at scrape time: live sessions (one count
 * query) and mails sent and failed (MailService's own counts). The sign-in counters are
 * registered here by the listener that feeds them; HTTP requests are counted by `HttpMetrics`
 * (from one Fastify hook, installed only when GET /metrics is on).
 */
@Injectable()
export class MetricsService implements OnModuleInit {
  readonly registry = new Registry();
  private readonly http = new HttpMetrics();
  private readonly logger = new Logger('Metrics');

  constructor(
    private readonly adapter: HttpAdapterHost,
    @Inject(metricsConfig.KEY) private readonly config: MetricsConfig,
    sessions: SessionsService,
    mail: MailService,
    @InjectConnection() database: Connection,
  ) {
    // Off (production without a token): nothing reads them, so no event-loop monitor or GC observer.
    if (config.enabled) collectDefaultMetrics({ register: this.registry });
    const logger = this.logger;
    new Gauge({
      name: 'sessions_active',
      help: 'Sessions neither revoked, expired nor idle past SESSION_IDLE_TTL (counted at scrape time).',
      registers: [this.registry],
      // NaN, not 0, when the database is away; the rest of the scrape still arrives.
      async collect() {
        // Known to be down: no query (Mongoose would hold it for 10 s, one more per scrape).
        if (database.readyState !== ConnectionStates.connected) return this.set(Number.NaN);
        try {
          this.set(await within(sessions.countLive(), COUNT_TIMEOUT_MS));
        } catch (err) {
          logger.warn({ err }, 'could not count the live sessions');
          this.set(Number.NaN);
        }
      },
    });
    new Counter({
      name: 'mail_deliveries_total',
      help: 'Mails handed to the SMTP server (sent) or given up on (failed), since start.',
      labelNames: ['outcome'] as const,
      registers: [this.registry],
      collect() {
        const { sent, failed } = mail.stats();
        this.reset();
        this.inc({ outcome: 'sent' }, sent);
        this.inc({ outcome: 'failed' }, failed);
      },
    });
  }

  onModuleInit(): void {
    if (!this.config.enabled) return;
    this.http.listen(this.adapter.httpAdapter.getInstance<FastifyInstance>());
  }

  /** Every metric in the Prometheus text format. */
  async scrape(): Promise<string> {
    return `${await this.registry.metrics()}\n${this.http.exposition()}`;
  }
}
