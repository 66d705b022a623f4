import { HttpAdapterHost } from '@nestjs/core';
import { Connection, ConnectionStates } from 'mongoose';
import { MailService } from '../mail/mail.service';
import { SessionsService } from '../sessions/sessions.service';
import { MetricsService } from './metrics.service';

/** A service over stand-ins: a session count that answers `count`, mail counts of 2 sent, 1 failed. */
function metricsWith(count: () => Promise<number>, readyState = ConnectionStates.connected) {
  return new MetricsService(
    {} as HttpAdapterHost,
    { enabled: false },
    { countLive: count } as unknown as SessionsService,
    { stats: () => ({ sent: 2, failed: 1 }) } as unknown as MailService,
    { readyState } as Connection,
  );
}

describe(MetricsService.name, () => {
  it('reads the live sessions and the mail counts at scrape time', async () => {
    let live = 3;
    const metrics = metricsWith(async () => live);
    expect(await metrics.scrape()).toContain('\nsessions_active 3\n');
    live = 4;
    const text = await metrics.scrape();
    expect(text).toContain('\nsessions_active 4\n');
    expect(text).toContain('mail_deliveries_total{outcome="sent"} 2\n');
    expect(text).toContain('mail_deliveries_total{outcome="failed"} 1\n');
  });

  it('answers within about a second with NaN sessions when the count hangs or fails, and at once when the database is known down', async () => {
    let started = Date.now();
    const hanging = await metricsWith(() => new Promise<number>(() => undefined)).scrape();
    expect(Date.now() - started).toBeLessThan(2500);
    expect(hanging).toContain('\nsessions_active Nan\n');
    const failing = await metricsWith(() => Promise.reject(new Error('down'))).scrape();
    expect(failing).toContain('\nsessions_active Nan\n');
    started = Date.now();
    const down = metricsWith(() => {
      throw new Error('must not be asked');
    }, ConnectionStates.disconnected);
    expect(await down.scrape()).toContain('\nsessions_active Nan\n');
    expect(Date.now() - started).toBeLessThan(500);
  });
});
