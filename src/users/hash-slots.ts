import { availableParallelism } from 'node:os';

/**
 * At most `size` password hashes run at once; the rest wait their turn in order. libuv's pool
 * has four threads whatever the cores: on one core, four argon2id hashes at once each keep their
 * 19 MiB in play and evict one another from the cache (measured: 49 verifies/s with four at
 * once, 59/s one at a time), and every extra hashing thread also competes with the event loop
 * for that core. One hash per core the process may run on (`availableParallelism` follows the
 * CPU affinity and the container's limits) keeps each core busy without either cost, and leaves
 * the pool's other threads to file and DNS work.
 */
export class HashSlots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size = availableParallelism()) {
    this.free = Math.max(1, size);
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, or back to the free count.
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    }
  }
}
