import { onFirstUse } from '../../../common/lazy/on-first-use';

/**
 * openid-client (with oauth4webapi and jose) loads on the first provider sign-in, not at start,
 * and is shared from then on: an instance without a provider, or whose users never use one,
 * never loads it.
 */
export const openidClient = onFirstUse(() => import('openid-client'));
