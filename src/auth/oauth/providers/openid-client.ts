const load = () => import('openid-client');
let library: ReturnType<typeof load> | undefined;

/**
 * openid-client (with oauth4webapi and jose) loads on the first provider sign-in, not at start,
 * and is shared from then on: an instance without a provider, or whose users never use one,
 * never loads it.
 */
export function openidClient(): ReturnType<typeof load> {
  return (library ??= load());
}
