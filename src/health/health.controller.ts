import { Controller, Get, HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../common/decorators/public.decorator';
import { DomainException } from '../common/errors/domain.exception';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { ShutdownState } from '../common/lifecycle/shutdown';
import { DatabaseHealthIndicator } from './database.health';

@ApiTags('health')
@Public()
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly shutdown: ShutdownState,
  ) {}

  /** Liveness: the process is up. */
  @Get('live')
  checkLiveness(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness: the database answers a ping within a second; otherwise 503 naming what is down.
   * Also 503 once the instance is shutting down, so load balancers stop sending it requests.
   */
  @Get('ready')
  @HealthCheck()
  @ApiProblems(503)
  async checkReadiness(): Promise<HealthCheckResult> {
    if (this.shutdown.isDraining)
      throw new DomainException(
        HttpStatus.SERVICE_UNAVAILABLE,
        'shutting_down',
        'Not ready: this instance is shutting down.',
      );
    try {
      return await this.health.check([() => this.database.ping('database')]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      const down = Object.entries(result.error ?? {});
      throw new DomainException(
        HttpStatus.SERVICE_UNAVAILABLE,
        'dependency_down',
        `Not ready: ${down.map(([name]) => name).join(', ')} down.`,
        {
          errors: down.map(([field, detail]) => ({
            field,
            message: String((detail as { message?: unknown }).message ?? 'down'),
          })),
        },
      );
    }
  }
}
