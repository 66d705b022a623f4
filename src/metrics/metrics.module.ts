import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { SessionsModule } from '../sessions/sessions.module';
import { AuthMetricsListener } from './auth-metrics.listener';
import { MetricsTokenGuard } from './metrics-token.guard';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** GET /metrics for Prometheus; it reads the other features through their services and events. */
@Module({
  imports: [MailModule, SessionsModule],
  controllers: [MetricsController],
  providers: [MetricsService, AuthMetricsListener, MetricsTokenGuard],
})
export class MetricsModule {}
