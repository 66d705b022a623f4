import { enableCompileCache } from 'node:module';

/**
 * Node's on-disk cache of compiled code (`module.enableCompileCache`), on before any other module
 * loads (main.ts imports this first): most of a start is compiling the ~2,000 modules of Nest,
 * Mongoose and the rest, and a start after the first reads their bytecode from the cache instead.
 * The cache lives in the system's temporary folder (or NODE_COMPILE_CACHE), is checked against
 * each file's contents (a new build never runs stale code), and is written when the process
 * exits: once after a new build, that adds a few seconds to the shutdown (serialising the code of
 * every module). Where the folder cannot be written, Node carries on without it.
 */
enableCompileCache();
