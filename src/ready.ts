import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { API_PREFIX } from './common/http/api-prefix';
import { redactUrlPassword } from './common/redact-url';
import { DatabaseConfig, databaseConfig, MailConfig, mailConfig } from './config/configuration';
import { CONSOLE_DIR, CONSOLE_PATH } from './console/console-static';
import { DatabaseUriProvider } from './database/database.module';

export interface ReadyInfo {
  url: string;
  database: string;
  mail: string;
  consoleBuilt: boolean;
}

/** What a person needs once the API listens: where everything is, which database, where mail goes. */
export function readyInfo(app: NestFastifyApplication): ReadyInfo {
  const { port } = app.getHttpServer().address() as AddressInfo;
  const database = app.get<DatabaseConfig>(databaseConfig.KEY);
  const connection = app.get<Connection>(getConnectionToken());
  const uri =
    database.mongoUri ?? `mongodb://${connection.host}:${connection.port}/${connection.name}`;
  const mail = app.get<MailConfig>(mailConfig.KEY);
  return {
    url: `http://localhost:${port}`,
    database: app.get(DatabaseUriProvider, { strict: false }).describe(uri),
    mail: mail.smtpUrl
      ? `sent through ${redactUrlPassword(mail.smtpUrl)}`
      : 'written to this log (SMTP_URL is unset)',
    consoleBuilt: existsSync(join(CONSOLE_DIR, 'index.html')),
  };
}

/** The ready block: one log entry, a line per thing, instead of Nest's 116 lines of routes. */
export function readyBlock(info: ReadyInfo, startedMs: number): string {
  const rows: [string, string][] = [
    ['API', `${info.url}/${API_PREFIX}`],
    ['Swagger UI', `${info.url}/docs`],
    [
      'admin console',
      `${info.url}${CONSOLE_PATH}${info.consoleBuilt ? '' : ' (not built: npm run build)'}`,
    ],
    ['readiness', `${info.url}/health/ready`],
    ['database', info.database],
    ['mail', info.mail],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    `ready after ${startedMs} ms`,
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
  ].join('\n');
}
