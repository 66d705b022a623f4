import { TestApp } from './test-app';

export interface Hop {
  url: string;
  status: number;
  location?: string;
}

/**
 * A browser as far as redirects and cookies go: follows 30x by hand, keeps cookies per host, and
 * reaches the app under test (its PUBLIC_URL) through supertest, everything else with fetch.
 * Every hop is recorded, so a spec can check what each URL carried.
 */
export class Browser {
  readonly hops: Hop[] = [];
  private readonly jar = new Map<string, Map<string, string>>();

  constructor(
    private readonly t: TestApp,
    private readonly appUrl: string,
  ) {}

  /** Follows redirects from `url` until one points at `stopAt` (not fetched); answers that URL. */
  async navigate(url: string, stopAt: string, headers: Record<string, string> = {}): Promise<Hop> {
    let next = url;
    for (let i = 0; i < 20; i++) {
      if (next.startsWith(stopAt)) return { url: next, status: 0 };
      const hop = await this.get(next, headers);
      if (!hop.location) return hop;
      next = new URL(hop.location, next).href;
    }
    throw new Error('too many redirects');
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<Hop> {
    const target = new URL(url);
    const cookie = [...(this.jar.get(target.host) ?? new Map<string, string>())]
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
    let status: number;
    let location: string | undefined;
    let setCookies: string[];
    if (url.startsWith(this.appUrl)) {
      const req = this.t.http().get(url.slice(this.appUrl.length)).set(headers);
      if (cookie) req.set('Cookie', cookie);
      const res = await req;
      status = res.status;
      location = res.headers.location as string | undefined;
      const raw = res.headers['set-cookie'] as string[] | string | undefined;
      setCookies = raw === undefined ? [] : [raw].flat();
    } else {
      const res = await fetch(url, {
        redirect: 'manual',
        headers: { ...headers, ...(cookie ? { cookie } : {}) },
      });
      status = res.status;
      location = res.headers.get('location') ?? undefined;
      setCookies = res.headers.getSetCookie();
      await res.arrayBuffer();
    }
    this.store(target.host, setCookies);
    const hop = { url, status, ...(location ? { location } : {}) };
    this.hops.push(hop);
    return hop;
  }

  /** The cookies this browser holds for `url`'s host. */
  cookies(url: string): Map<string, string> {
    return this.jar.get(new URL(url).host) ?? new Map();
  }

  forget(url: string): void {
    this.jar.delete(new URL(url).host);
  }

  private store(host: string, setCookies: string[]): void {
    const cookies = this.jar.get(host) ?? new Map<string, string>();
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired) cookies.delete(name);
      else cookies.set(name, pair.slice(at + 1).trim());
    }
    this.jar.set(host, cookies);
  }
}
