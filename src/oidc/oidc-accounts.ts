import { Inject, Injectable } from '@nestjs/common';
import type { Account } from 'oidc-provider';
import { oauthConfig, OAuthConfig } from '../config/configuration';
import { RbacService } from '../rbac/rbac.service';
import { UserDto } from '../users/dto/user.dto';
import { UsersService } from '../users/users.service';

/** The claims of each scope (the provider releases a claim only for a scope that names it). */
export const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: [
    'name',
    'given_name',
    'family_name',
    'preferred_username',
    'picture',
    'locale',
    'gender',
    'updated_at',
  ],
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
  roles: ['role', 'permissions'],
} as const;

/**
 * Users as the provider sees them: an account for an active user only (a disabled or deleted
 * user's codes, refresh tokens and userinfo calls are refused), with claims read live.
 */
@Injectable()
export class OidcAccounts {
  constructor(
    private readonly users: UsersService,
    private readonly rbac: RbacService,
    @Inject(oauthConfig.KEY) private readonly config: OAuthConfig,
  ) {}

  async find(sub: string): Promise<Account | undefined> {
    const user = await this.users.findById(sub);
    if (!user || user.status !== 'active') return undefined;
    return { accountId: user.id, claims: () => this.claims(user) };
  }

  private async claims(user: UserDto): Promise<Record<string, unknown>> {
    const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
    return {
      sub: user.id,
      ...(name ? { name } : {}),
      given_name: user.firstName,
      family_name: user.lastName,
      preferred_username: user.username,
      picture: user.avatarUrl && new URL(user.avatarUrl, `${this.config.publicUrl}/`).href,
      locale: user.locale ?? 'en',
      gender: user.gender,
      updated_at: Math.floor(Date.parse(user.updatedAt) / 1000),
      email: user.email,
      email_verified: user.emailVerified,
      ...(user.phone ? { phone_number: user.phone, phone_number_verified: false } : {}),
      role: user.role,
      permissions: [...(await this.rbac.permissionsOf(user.role))],
    };
  }
}
