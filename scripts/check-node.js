#!/usr/bin/env node
// Refuses to go on when the running Node is older than the project needs, in one line that says
// what to do. Run before `npm start`, `npm run build` and the start:* scripts (package.json's pre*
// scripts) and by the tests' global setup, so every entry point says the same thing. Plain
// CommonJS with nothing newer than Node 8 in it: it must run on the old Node it refuses.
// (npm itself does not read `engines` when it runs a script, and `engine-strict` only affects
// installs: without this, Node 20 built for half a minute and then crashed on a missing API.)
'use strict';

var MIN_MAJOR = 24;
var MIN_MINOR = 9;

/** The one-line refusal for this Node version (e.g. "20.19.1"), or null when it is recent enough. */
function nodeVersionProblem(version) {
  var parts = String(version).replace(/^v/, '').split('.').map(Number);
  var major = parts[0];
  var minor = parts[1] || 0;
  if (major > MIN_MAJOR || (major === MIN_MAJOR && minor >= MIN_MINOR)) return null;
  return (
    'This project needs Node ' + MIN_MAJOR + '.' + MIN_MINOR + ' or newer (see .nvmrc); this is v' +
    String(version).replace(/^v/, '') + '. ' +
    'Use `nvm use`, or `export PATH="$(scripts/ensure-node.sh):$PATH"` to install Node 24 into .tools/node.'
  );
}

module.exports = { nodeVersionProblem: nodeVersionProblem };

if (require.main === module) {
  // CHECK_NODE_VERSION stands in for the running version, so the refusal can be tested on Node 24.
  var problem = nodeVersionProblem(process.env.CHECK_NODE_VERSION || process.versions.node);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}
