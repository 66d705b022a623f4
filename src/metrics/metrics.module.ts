import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { SessionsModule } from '../sessions/sessions.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { AuthMetricsListener } from './auth-metrics.listener';
import { MetricsTokenGuard } from './metrics-token.guard';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { WebhookMetrics } from './webhook-metrics';

/** GET /metrics for Prometheus; it reads the other features through their services and events. */
@Module({
  imports: [MailModule, SessionsModule, WebhooksModule],
  controllers: [MetricsController],
  providers: [MetricsService, AuthMetricsListener, WebhookMetrics, MetricsTokenGuard],
})
export class MetricsModule {}
