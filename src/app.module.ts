import { Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { ThrottlerModule } from '@nestjs/throttler';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { JwtAuthGuard } from './auth/tokens/jwt-auth.guard';
import { RouteThrottlerGuard } from './common/rate/throttler.guard';
import { AUTH_THROTTLER, HybridThrottlerStorage } from './common/rate/throttler.storage';
import { WindowCounter } from './common/rate/window-counter.service';
import { Clock } from './common/time/clock';
import { rateLimitConfig, RateLimitConfig } from './config/configuration';
import { SessionsModule } from './sessions/sessions.module';
import { AssetsModule } from './assets/assets.module';
import { AuditModule } from './audit/audit.module';
import { ClusterModule } from './cluster/cluster.module';
import { REDIS } from './cluster/redis';
import { RedisThrottlerStorage } from './cluster/redis-throttler.storage';
import { CommonModule } from './common/common.module';
import { LanguagesModule } from './common/i18n/languages.module';
import { ProblemDetailsFilter } from './common/errors/problem.filter';
import { createValidationPipe } from './common/errors/validation';
import { LoggingModule } from './common/logging.module';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { MailModule } from './mail/mail.module';
import { MetricsModule } from './metrics/metrics.module';
import { OidcModule } from './oidc/oidc.module';
import { PermissionsGuard } from './rbac/permissions.guard';
import { RbacModule } from './rbac/rbac.module';
import { ImpersonationGuard } from './auth/impersonation/impersonation.guard';
import { ImpersonationModule } from './auth/impersonation/impersonation.module';
import { UsersModule } from './users/users.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({
  imports: [
    AppConfigModule,
    LoggingModule,
    CommonModule,
    LanguagesModule,
    DatabaseModule,
    ClusterModule,
    ScheduleModule.forRoot(),
    MailModule,
    AuditModule,
    ThrottlerModule.forRootAsync({
      inject: [rateLimitConfig.KEY, WindowCounter, Clock, REDIS],
      useFactory: (
        limits: RateLimitConfig,
        counters: WindowCounter,
        clock: Clock,
        redis: Redis | null,
      ) => {
        const local = new HybridThrottlerStorage(counters, clock);
        return {
          throttlers: [
            { name: 'default', limit: limits.default.limit, ttl: limits.default.ttlMs },
            { name: AUTH_THROTTLER, limit: limits.auth.limit, ttl: limits.auth.ttlMs },
          ],
          // With Redis every counter is shared by all instances; without it, see HybridThrottlerStorage.
          storage: redis ? new RedisThrottlerStorage(redis, local) : local,
        };
      },
    }),
    UsersModule,
    SessionsModule,
    AuthModule,
    AssetsModule,
    RbacModule,
    ImpersonationModule,
    AdminModule,
    HealthModule,
    MetricsModule,
    OidcModule,
    WebhooksModule,
  ],
  providers: [
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    // Rate limit first (it must also stop unauthenticated floods), then authentication.
    { provide: APP_GUARD, useClass: RouteThrottlerGuard },
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    // An admin acting as a user: every request audited, owner-only changes refused.
    { provide: APP_GUARD, useExisting: ImpersonationGuard },
    // Then what the caller may do: deny by default, permissions from the role on each request.
    { provide: APP_GUARD, useExisting: PermissionsGuard },
  ],
})
export class AppModule {}
