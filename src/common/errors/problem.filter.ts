import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toProblem } from './problem';

/** The one place every error becomes an `application/problem+json` response. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(
      exception,
      http.getRequest<FastifyRequest>(),
      http.getResponse<FastifyReply>(),
      this.logger,
    );
  }
}

export function sendProblem(
  exception: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  logger: Logger,
): void {
  const { problem, headers } = toProblem(exception, String(request.id));
  if (problem.status >= 500) {
    logger.error(
      { err: exception, requestId: request.id },
      `unhandled error on ${request.method} ${request.routeOptions?.url ?? 'unknown route'}`,
    );
  }
  if (reply.sent) return;
  void reply.status(problem.status).headers(headers).type('application/problem+json').send(problem);
}
