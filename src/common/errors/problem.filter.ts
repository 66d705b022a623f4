import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_LOCALE, isLocale, Locale, negotiateLocale } from '../i18n/locales';
import { Translator } from '../i18n/translator';
import { Problem, toProblem } from './problem';

/** The one place every error becomes an `application/problem+json` response. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly translator: Translator) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const lang = responseLocale(request);
    sendProblem(exception, request, http.getResponse<FastifyReply>(), this.logger, (problem) =>
      this.translator.problem(problem, lang),
    );
  }
}

/**
 * The language of a response: the request's `Accept-Language`, then the signed-in user's
 * `locale` (known once the access token was checked), then English.
 */
export function responseLocale(request: FastifyRequest): Locale {
  const user = (request as { user?: { user?: { locale?: unknown } } }).user?.user;
  return (
    negotiateLocale(request.headers['accept-language']) ??
    (isLocale(user?.locale) ? user.locale : DEFAULT_LOCALE)
  );
}

export function sendProblem(
  exception: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  logger: Logger,
  localize: (problem: Problem) => Problem = (problem) => problem,
): void {
  const rendered = toProblem(exception, String(request.id));
  if (rendered.problem.code === 'dependency_down') {
    // Expected while the database is away: one line each, no stack trace to page through.
    logger.warn(
      { requestId: request.id, reason: (exception as Error).message },
      `database unavailable on ${request.method} ${request.routeOptions?.url ?? 'unknown route'}`,
    );
  } else if (rendered.problem.status >= 500) {
    logger.error(
      { err: exception, requestId: request.id },
      `unhandled error on ${request.method} ${request.routeOptions?.url ?? 'unknown route'}`,
    );
  }
  if (reply.sent) return;
  const problem = localize(rendered.problem);
  void reply
    .status(problem.status)
    .headers(rendered.headers)
    .type('application/problem+json')
    .send(problem);
}
