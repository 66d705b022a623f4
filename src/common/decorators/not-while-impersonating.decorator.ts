import { SetMetadata } from '@nestjs/common';

export const NOT_WHILE_IMPERSONATING = 'notWhileImpersonating';

/**
 * A change only the account's owner makes (password, two-factor, passkeys, sign-in providers,
 * deleting the account): refused with 403 `impersonation_restricted` to an admin acting as the
 * user (an access token with `act`).
 */
export const NotWhileImpersonating = () => SetMetadata(NOT_WHILE_IMPERSONATING, true);
