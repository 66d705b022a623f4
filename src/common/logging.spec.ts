import pino from 'pino';
import { Writable } from 'node:stream';
import { REDACTED_PATHS } from './logging.module';

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
