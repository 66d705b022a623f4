import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * This process among the instances sharing one database and Redis: names a job lease's holder and
 * the sender of a broadcast (so an instance ignores its own). Unique per start.
 */
export const INSTANCE_ID = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
