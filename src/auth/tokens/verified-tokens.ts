/**
 * Access tokens whose signature, algorithm, issuer and audience were checked once, by the exact
 * token text, with the claims they carried: a token presented again skips the ES256 check
 * (~50 µs, most of a request's cost) and goes straight to the checks that must run every time
 * (expiry against the clock, the key still in the set, the session live). Bounded: past `max`
 * entries the oldest goes first (with one lifetime for every token, the first to expire).
 */
export class VerifiedTokens<T> {
  private readonly entries = new Map<string, { kid: string; claims: T }>();

  constructor(private readonly max: number) {}

  get(token: string): { kid: string; claims: T } | undefined {
    return this.entries.get(token);
  }

  set(token: string, kid: string, claims: T): void {
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { kid, claims });
  }

  get size(): number {
    return this.entries.size;
  }
}
