import { Writable } from 'node:stream';
import { parseEnv } from '../config/env';
import { prettyTransport } from './logging.module';

const app = (NODE_ENV: string) =>
  parseEnv({
    NODE_ENV,
    MONGO_URI: 'mongodb://db/app',
    PASSWORD_PEPPER: 'p'.repeat(32),
    TOTP_ENCRYPTION_KEY: 'a'.repeat(64),
  }).app;

describe(prettyTransport.name, () => {
  it('prints readable lines through pino-pretty in development, on stdout', () => {
    expect(prettyTransport(app('development'), process.stdout)).toMatchObject({
      target: 'pino-pretty',
    });
  });

  it('keeps one JSON object a line in production', () => {
    expect(prettyTransport(app('production'), process.stdout)).toBeUndefined();
  });

  it('keeps JSON in tests and whenever the logs go to a stream of their own', () => {
    expect(prettyTransport(app('test'), process.stdout)).toBeUndefined();
    expect(prettyTransport(app('development'), new Writable())).toBeUndefined();
  });
});
