import { Inject, Injectable } from '@nestjs/common';
import { oauthConfig, OAuthConfig } from '../../../config/configuration';
import { FacebookClient } from './facebook.client';
import { OAuthProvider } from './oauth-provider';
import { OidcClient } from './oidc.client';

/** The configured providers by name (none by default), built once from the configuration. */
@Injectable()
export class ProviderRegistry {
  private readonly providers = new Map<string, OAuthProvider>();

  constructor(@Inject(oauthConfig.KEY) private readonly config: OAuthConfig) {
    for (const settings of config.providers) {
      const provider =
        settings.kind === 'facebook'
          ? new FacebookClient(settings)
          : new OidcClient(settings.name, settings);
      this.providers.set(settings.name, provider);
    }
  }

  /** How people know the provider: Google, Facebook, or a generic provider's configured name. */
  displayName(name: string): string {
    return { google: 'Google', facebook: 'Facebook' }[name] ?? name;
  }

  get(name: string): OAuthProvider | undefined {
    return this.providers.get(name);
  }

  list(): OAuthProvider[] {
    return [...this.providers.values()];
  }

  /** The URL the provider sends the browser back to: register exactly this at the provider. */
  callbackUrl(name: string): string {
    return `${this.config.publicUrl}/api/v1/auth/oauth/${name}/callback`;
  }

  isAllowedRedirect(redirectUri: string): boolean {
    try {
      return this.config.redirectAllowlist.includes(new URL(redirectUri).href);
    } catch {
      return false;
    }
  }
}
