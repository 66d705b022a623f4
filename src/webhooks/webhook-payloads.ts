import type { UserDto } from '../users/dto/user.dto';
import type { WebhookEventType } from './webhook-event-types';

/**
 * A user as webhooks describe them: who they are and their state, never a hash, code, token,
 * secret, or the admins' private metadata.
 */
export interface WebhookUser {
  id: string;
  email: string;
  username?: string;
  firstName?: string;
  lastName?: string;
  locale?: string;
  role: string;
  status: string;
  emailVerified: boolean;
  twoFactorEnabled: boolean;
  createdAt: string;
  updatedAt: string;
  publicMetadata: Record<string, unknown>;
}

export const toWebhookUser = (user: UserDto): WebhookUser => ({
  id: user.id,
  email: user.email,
  ...(user.username ? { username: user.username } : {}),
  ...(user.firstName ? { firstName: user.firstName } : {}),
  ...(user.lastName ? { lastName: user.lastName } : {}),
  ...(user.locale ? { locale: user.locale } : {}),
  role: user.role,
  status: user.status,
  emailVerified: user.emailVerified,
  twoFactorEnabled: user.twoFactorEnabled,
  createdAt: user.createdAt,
  updatedAt: user.updatedAt,
  publicMetadata: user.publicMetadata,
});

/** What one event says: its type, when it happened, and its data. */
export interface WebhookEvent {
  type: WebhookEventType;
  timestamp: string;
  data: Record<string, unknown>;
}
