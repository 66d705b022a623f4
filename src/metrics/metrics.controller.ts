import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Registry } from 'prom-client';
import { Public } from '../common/decorators/public.decorator';
import { problemResponse } from '../common/http/api-problems.decorator';
import { METRICS_SECURITY } from '../common/http/openapi';
import { MetricsTokenGuard } from './metrics-token.guard';
import { MetricsService } from './metrics.service';

/**
 * Outside the API prefix, like the health probes. Not a user route: no access token (it is
 * `@Public()` to the JWT and permission guards) but METRICS_TOKEN, checked by its own guard; and
 * never rate-limited, so a scraper behind the same address as the users is not turned away (the
 * token is long and random: guessing it is hopeless without a limit).
 */
@ApiTags('metrics')
@Public()
@SkipThrottle()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  /**
   * Prometheus metrics in the text exposition format: requests and latencies by route, sign-ins,
   * second steps, refresh-token reuse, live sessions, mails, and Node's own (event-loop lag,
   * memory, CPU). Needs `Authorization: Bearer <METRICS_TOKEN>` when that is set; answers 404 in
   * production when it is not.
   */
  @Get()
  @UseGuards(MetricsTokenGuard)
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiSecurity(METRICS_SECURITY)
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'The metrics (text/plain; version=0.0.4)',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiResponse({
    status: 401,
    ...problemResponse(401, {
      description: 'METRICS_TOKEN is set and the request did not send it as a bearer token',
      detail: 'A valid metrics token is required.',
    }),
  })
  @ApiResponse({
    status: 404,
    ...problemResponse(404, { description: 'Off: production without METRICS_TOKEN' }),
  })
  getMetrics(): Promise<string> {
    return this.metrics.scrape();
  }
}
