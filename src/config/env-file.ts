import { existsSync, readFileSync } from 'node:fs';
import { parseEnv as parseDotEnv } from 'node:util';

/**
 * Loads `.env` into `target` (process.env), never overriding a variable the shell set: the shell
 * wins, as with Nest's ConfigModule. main.ts calls this before validating, so a bad value in `.env`
 * stops the start with the same one message as a bad shell variable; ConfigModule itself no longer
 * reads the file (one parser: Node's own).
 */
export function loadEnvFile(
  path: string,
  target: Record<string, string | undefined> = process.env,
): void {
  if (!existsSync(path)) return;
  for (const [name, value] of Object.entries(parseDotEnv(readFileSync(path, 'utf8')))) {
    if (target[name] === undefined && value !== undefined) target[name] = value;
  }
}
