#!/usr/bin/env node
// `npm run devdb:fetch`: fetches the mongo-java-server jars (Maven, cached in ~/.m2) and compiles
// the launcher into .devdb/, ahead of the first `npm start` or `npm test` (which do it themselves
// when it is missing). It runs ensureJavaLauncher from src/database/dev-database.ts itself, so the
// steps are written once: the TypeScript compiler (a dev dependency) turns that file into
// JavaScript in memory, without a build.
'use strict';
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { join } = require('node:path');
const ts = require('typescript');

const file = join(__dirname, '..', 'src', 'database', 'dev-database.ts');
const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
  compilerOptions: {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    esModuleInterop: true,
  },
  fileName: file,
});
const devDatabase = new Module(file, module);
devDatabase.filename = file;
devDatabase.paths = Module._nodeModulePaths(join(__dirname, '..'));
devDatabase._compile(outputText, file);

try {
  devDatabase.exports.ensureJavaLauncher((line) => console.log(line));
  console.log('development database launcher ready in .devdb/');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
