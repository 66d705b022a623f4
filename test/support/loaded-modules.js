/**
 * A preload (`node -r test/support/loaded-modules.js dist/main`) that records every module the
 * process loads, CommonJS and ESM alike (require.cache misses the ESM graphs), through Node's
 * module hooks. On SIGUSR2 it writes their file paths, one a line, to LOADED_MODULES_FILE (whole:
 * written beside it, then renamed).
 */
const { registerHooks } = require('node:module');
const { renameSync, writeFileSync } = require('node:fs');
const { fileURLToPath } = require('node:url');

const loaded = new Set();
registerHooks({
  load(url, context, nextLoad) {
    loaded.add(url);
    return nextLoad(url, context);
  },
});

process.on('SIGUSR2', () => {
  const paths = [...loaded]
    .filter((url) => url.startsWith('file:'))
    .map((url) => fileURLToPath(url));
  const file = process.env.LOADED_MODULES_FILE;
  writeFileSync(`${file}.part`, paths.join('\n'));
  renameSync(`${file}.part`, file);
});
