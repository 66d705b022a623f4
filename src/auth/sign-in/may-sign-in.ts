import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../../common/errors/domain.exception';
import { UserDto } from '../../users/dto/user.dto';

/**
 * Refuses an account that may not sign in (403 `email_not_verified`, 403 `account_disabled`).
 * Every first factor calls it after its own check succeeded (a password, a passkey), never
 * before: the answer would otherwise tell a stranger which accounts exist and in what state.
 */
export function assertMaySignIn(user: Pick<UserDto, 'status'>): void {
  if (user.status === 'pending')
    throw new DomainException(
      HttpStatus.FORBIDDEN,
      'email_not_verified',
      'Verify your email address before signing in.',
    );
  if (user.status === 'disabled')
    throw new DomainException(
      HttpStatus.FORBIDDEN,
      'account_disabled',
      'This account is disabled.',
    );
}
