import pino from 'pino';
import { Writable } from 'node:stream';
import { REDACTED_PATHS, redactQuery } from './logging.module';

function logged(object: Record<string, unknown>): string {
  let out = '';
  const sink = new Writable({ write: (chunk, _enc, done) => ((out += String(chunk)), done()) });
  pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink).info(object, 'line');
  return out;
}

describe('log redaction', () => {
  it('hides credentials, tokens and one-time codes', () => {
    const line = logged({
      req: {
        headers: { authorization: 'Bearer abc.def.ghi' },
        body: { code: '123456', password: 'hunter2 hunter2' },
      },
      mail: { context: { code: '654321' } },
      pair: { refreshToken: 'sid.secret-value' },
    });
    for (const secret of ['abc.def.ghi', '123456', 'hunter2', '654321', 'secret-value'])
      expect(line).not.toContain(secret);
  });

  it('keeps MongoDB error codes, which are not secrets', () => {
    expect(JSON.parse(logged({ err: { code: 11000, message: 'duplicate key' } })).err.code).toBe(
      11000,
    );
  });
});

describe(redactQuery.name, () => {
  it("hides the admin's search text (an email address, a name) and keeps the filters", () => {
    expect(
      redactQuery('/api/v1/admin/users?search=ada%40example.com&role=admin&page=2&limit=20'),
    ).toBe('/api/v1/admin/users?search=[redacted]&role=admin&page=2&limit=20');
    expect(redactQuery('/api/v1/admin/audit-logs?from=2026-01-01T00:00:00Z&actorId=abc')).toBe(
      '/api/v1/admin/audit-logs?from=2026-01-01T00:00:00Z&actorId=abc',
    );
  });

  it("hides a provider's code and state, tokens, and any parameter it does not know", () => {
    expect(redactQuery('/cb?state=s3cr3t&code=c0de&access_token=t0k')).toBe(
      '/cb?state=[redacted]&code=[redacted]&access_token=[redacted]',
    );
    expect(redactQuery('/x?serach=ada@example.com&Search=ada')).toBe(
      '/x?serach=[redacted]&Search=[redacted]',
    );
    // A name that could itself be the data goes whole; so does a bare value.
    expect(redactQuery('/x?ada%40example.com=1&ada@example.com&page=1')).toBe(
      '/x?[redacted]&[redacted]&page=1',
    );
  });

  it('leaves a URL without a query as it is', () => {
    expect(redactQuery('/api/v1/users/me')).toBe('/api/v1/users/me');
    expect(redactQuery('/api/v1/users/me?')).toBe('/api/v1/users/me?');
  });
});
