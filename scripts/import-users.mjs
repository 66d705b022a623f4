#!/usr/bin/env node
// Streams a JSON Lines file of users to POST /api/v1/admin/users/import and prints the report.
//
//   npm run import-users -- users.ndjson [--url http://localhost:3000] [--token <access token>]
//
// The token is an admin's access token with users:manage (or set IMPORT_TOKEN); the URL defaults
// to API_URL or http://localhost:3000. The file is sent as it is read, never held in memory, so
// files of any size go through; the server checks and writes it line by line.
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { url: { type: 'string' }, token: { type: 'string' } },
});
const file = positionals[0];
const token = values.token ?? process.env.IMPORT_TOKEN;
const base = (values.url ?? process.env.API_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
if (!file || !token) {
  console.error('usage: npm run import-users -- <file.ndjson> [--url URL] --token TOKEN (or IMPORT_TOKEN)');
  process.exit(2);
}
try {
  statSync(file);
} catch {
  console.error(`import-users: cannot read ${file}`);
  process.exit(2);
}

const response = await fetch(`${base}/api/v1/admin/users/import`, {
  method: 'POST',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
  body: Readable.toWeb(createReadStream(file)),
  duplex: 'half',
});
const text = await response.text();
if (!response.ok) {
  console.error(`import-users: ${response.status} ${text}`);
  process.exit(1);
}
const report = JSON.parse(text);
console.log(JSON.stringify(report, null, 2));
console.error(
  `created ${report.created}, skipped ${report.skipped}, invited ${report.invited}, refused ${report.refusedCount}`,
);
process.exit(report.refusedCount > 0 ? 3 : 0);
