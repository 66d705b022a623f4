import { applyDecorators } from '@nestjs/common';
import { ApiResponse, getSchemaPath, ApiExtraModels } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { ProblemDto } from '../dto/problem.dto';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (problem details list the fields)',
  401: 'Missing, invalid or expired credentials or token',
  403: 'Authenticated but not allowed',
  404: 'Not found',
  409: 'Conflict with existing data',
  413: 'Payload too large',
  415: 'Unsupported media type',
  429: 'Too many requests (see Retry-After)',
  503: 'A dependency is down',
};

/** Documents error responses as RFC 9457 problem details. */
export function ApiProblems(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? STATUS_CODES[status],
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
      }),
    ),
  );
}
