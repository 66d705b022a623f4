import { Controller, Post } from '@nestjs/common';
import { Public } from '../src/common/decorators/public.decorator';
import { createTestApp, TestApp } from './support/test-app';

@Public()
@Controller('fail')
class FailController {
  @Post()
  fail(): never {
    throw new Error('unexpected');
  }
}

/** At LOG_LEVEL=warn the per-request logging is skipped altogether (issue 12): errors still arrive. */
describe('LOG_LEVEL=warn', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ LOG_LEVEL: 'warn' }, { controllers: [FailController] });
  });
  afterAll(() => t.close());

  it('writes no line for an ordinary request', async () => {
    const before = t.logs.text().length;
    await t.http().get('/health/live').expect(200);
    await t.http().get('/api/v1/users/me').expect(401);
    expect(t.logs.text().slice(before)).toBe('');
  });

  it('still logs an unexpected error with its request id', async () => {
    const res = await t.http().post('/api/v1/fail').expect(500);
    expect(t.logs.text()).toContain(res.body.requestId);
    expect(res.headers['x-request-id']).toBe(res.body.requestId);
  });
});
