import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');

/**
 * Compiles the app and the child's entry point (`main.ts` here) with tsc, as `nest build` does,
 * into a folder of this spec's own under `.test-build/` (inside the project, so the compiled
 * code finds node_modules), with the mail templates and catalogues beside them. A few seconds;
 * `remove` deletes it.
 */
export function buildInstance(): { main: string; appMain: string; remove: () => void } {
  mkdirSync(join(ROOT, '.test-build'), { recursive: true });
  const outDir = mkdtempSync(join(ROOT, '.test-build', 'instance-'));
  const tsconfig = join(outDir, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(ROOT, 'tsconfig.json'),
      compilerOptions: {
        rootDir: ROOT,
        outDir,
        incremental: false,
        sourceMap: false,
        types: ['node'],
      },
      include: [join(ROOT, 'src/**/*.ts'), join(__dirname, 'main.ts')],
      exclude: [join(ROOT, 'src/**/*.spec.ts')],
    }),
  );
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', tsconfig], {
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  cpSync(join(ROOT, 'src', 'mail', 'templates'), join(outDir, 'src', 'mail', 'templates'), {
    recursive: true,
  });
  cpSync(join(ROOT, 'src', 'i18n'), join(outDir, 'src', 'i18n'), { recursive: true });
  return {
    main: join(outDir, 'test', 'support', 'instance', 'main.js'),
    /** The app's own entry point (`src/main.ts`), as `npm run start:prod` runs it. */
    appMain: join(outDir, 'src', 'main.js'),
    remove: () => rmSync(outDir, { recursive: true, force: true }),
  };
}
