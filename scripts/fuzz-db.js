#!/usr/bin/env node
// Starts an in-memory development database for the fuzz run (scripts/fuzz.sh), prints
// `MONGO_URI=<uri>` on stdout once it is ready, and stops it on SIGTERM/SIGINT or when the process
// that started it goes away (so a killed fuzz run leaves no database behind).
'use strict';
const { startDevDatabase } = require('../dist/database/dev-database');

startDevDatabase({
  prefer: process.env.DEV_DB || 'auto',
  log: (line) => console.error(`[fuzz-db] ${line}`),
})
  .then((db) => {
    console.log(`MONGO_URI=${db.uri}`);
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      db.stop().finally(() => process.exit(0));
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) stop();
    }, 1000);
  })
  .catch((error) => {
    console.error(`[fuzz-db] could not start: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
