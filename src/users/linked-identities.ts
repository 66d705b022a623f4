import { LinkedIdentityDto } from './dto/linked-identity.dto';

/**
 * The user's linked sign-in identities, for `GET /users/me`. The auth feature owns them and
 * provides this port (a global provider), so `users` still depends on `common` only.
 */
export const LINKED_IDENTITIES = Symbol('LINKED_IDENTITIES');

export interface LinkedIdentities {
  listOf(userId: string): Promise<LinkedIdentityDto[]>;
}
