import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isPrivateAddress } from './address-guard';

/** Why a URL may not be called. */
export type UrlRefusal = 'invalid_url' | 'https_required' | 'blocked_address' | 'dns_failed';

export interface ResolvedTarget {
  url: URL;
  /** The one address the connection goes to: resolved once, checked, then used as is. */
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has (the system resolver, as connections use). */
export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (host) => lookup(host, { all: true, verbatim: true });

/** The rules a URL itself must follow, before any lookup: https (http only when private networks are allowed), no credentials. */
export function checkUrlShape(text: string, allowPrivate: boolean): URL | UrlRefusal {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'invalid_url';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'invalid_url';
  if (url.username || url.password) return 'invalid_url';
  if (url.protocol === 'http:' && !allowPrivate) return 'https_required';
  const literal = bareHost(url);
  if (!allowPrivate && isIP(literal) && isPrivateAddress(literal)) return 'blocked_address';
  return url;
}

/**
 * The address to connect to. Without WEBHOOK_ALLOW_PRIVATE_NETWORKS, every address the name has
 * must be public (one private answer refuses it: a name that points anywhere inside is not a
 * receiver), and the connection is then made to the address checked here, so a second lookup
 * (DNS rebinding) cannot swap in another.
 */
export async function resolveTarget(
  text: string,
  allowPrivate: boolean,
  resolver: Resolver = systemResolver,
): Promise<ResolvedTarget | UrlRefusal> {
  const url = checkUrlShape(text, allowPrivate);
  if (typeof url === 'string') return url;
  const host = bareHost(url);
  const family = isIP(host);
  if (family === 4 || family === 6) return { url, address: host, family };
  let answers: { address: string; family: number }[];
  try {
    answers = await resolver(host);
  } catch {
    return 'dns_failed';
  }
  if (answers.length === 0) return 'dns_failed';
  if (!allowPrivate && answers.some((a) => isPrivateAddress(a.address))) return 'blocked_address';
  const first = answers[0];
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

/** The host without IPv6 brackets. */
const bareHost = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');
