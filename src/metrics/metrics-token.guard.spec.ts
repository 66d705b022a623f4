import { ExecutionContext, HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';
import { MetricsTokenGuard } from './metrics-token.guard';

const TOKEN = 'a3'.repeat(32);

const withAuthorization = (authorization?: string) =>
  ({
    switchToHttp: () => ({ getRequest: () => ({ headers: { authorization } }) }),
  }) as unknown as ExecutionContext;

/** The status the guard answers with (200 when it lets the request through). */
function status(guard: MetricsTokenGuard, authorization?: string): number {
  try {
    return guard.canActivate(withAuthorization(authorization)) ? 200 : 403;
  } catch (error) {
    if (error instanceof DomainException) return error.getStatus();
    throw error;
  }
}

describe(MetricsTokenGuard.name, () => {
  it('with METRICS_TOKEN, lets through only `Bearer <that token>` (the scheme in any case)', () => {
    const guard = new MetricsTokenGuard({ enabled: true, token: TOKEN });
    expect(status(guard, `Bearer ${TOKEN}`)).toBe(200);
    expect(status(guard, `bearer  ${TOKEN} `)).toBe(200);
    for (const refused of [
      undefined,
      '',
      'Bearer',
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Bearer ${TOKEN}0`,
      `Bearer ${TOKEN.toUpperCase()}`,
      `Bearer ${TOKEN} ${TOKEN}`,
      `Basic ${TOKEN}`,
      TOKEN,
    ])
      expect({ refused, status: status(guard, refused) }).toEqual({
        refused,
        status: HttpStatus.UNAUTHORIZED,
      });
  });

  it('without METRICS_TOKEN, is open when enabled (outside production) and 404 when off', () => {
    expect(status(new MetricsTokenGuard({ enabled: true }))).toBe(200);
    expect(status(new MetricsTokenGuard({ enabled: true }), 'Bearer anything')).toBe(200);
    expect(status(new MetricsTokenGuard({ enabled: false }), `Bearer ${TOKEN}`)).toBe(404);
  });
});
