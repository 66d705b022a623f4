import { CanActivate, ExecutionContext, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { DomainException, notFound } from '../common/errors/domain.exception';
import { metricsConfig, MetricsConfig } from '../config/configuration';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * GET /metrics: with METRICS_TOKEN set, the caller sends it as `Authorization: Bearer <token>`;
 * without it the route is open (outside production) or off (404, production). The presented
 * token is compared by its SHA-256 in constant time, so neither its content nor its length shows
 * in the timing; a missing and a wrong token get the same 401.
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(@Inject(metricsConfig.KEY) private readonly config: MetricsConfig) {
    this.expected = config.token === undefined ? undefined : digest(config.token);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.config.enabled) throw notFound('The resource');
    if (this.expected === undefined) return true;
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1] ?? '';
    if (!timingSafeEqual(digest(presented), this.expected))
      throw new DomainException(
        HttpStatus.UNAUTHORIZED,
        'invalid_token',
        'A valid metrics token is required.',
      );
    return true;
  }
}
