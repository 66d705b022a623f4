/**
 * Entries per per-instance cache of users and sessions (the session cache, the `/users/me`
 * extras). An entry is only good for 5 s, so this is how many sessions (or users) active within
 * 5 s stay query-free: 2,000 distinct ones a second, more than one core serves. It also bounds
 * the heap: stale entries stay until evicted, so a busy instance's caches sit at this size (a
 * user is about a kilobyte), and lru-cache sizes its index for it at start (three caches of
 * 50,000 took 12 ms and 4 MB before holding anything).
 */
export const CACHE_MAX_ENTRIES = 10_000;
