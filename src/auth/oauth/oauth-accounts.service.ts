import { Injectable } from '@nestjs/common';
import { DomainException } from '../../common/errors/domain.exception';
import { DomainEvents, RequestOrigin } from '../../common/events/domain-event';
import { NAME_MAX_LENGTH } from '../../common/dto/fields';
import { isPersonName, trimSpaces } from '../../common/dto/person-name';
import { isLocale } from '../../common/i18n/locales';
import { Clock } from '../../common/time/clock';
import { UserDto } from '../../users/dto/user.dto';
import { UsersService } from '../../users/users.service';
import { IdentitiesService } from './identities.service';
import { CodeOutcome } from './oauth-flow.schema';
import { OAuthError, OutcomeError } from './oauth.errors';
import { ProviderProfile } from './providers/oauth-provider';
import { ProviderRegistry } from './providers/provider-registry';

type Via = 'sign_in' | 'sign_up' | 'link';

/**
 * A name from a provider's profile, held to the rules a typed name is (person-name.ts): one that
 * breaks them, or is longer, is left out rather than refusing the sign-up (the user can set it).
 */
function providedName(value: string | undefined): string | undefined {
  const name = value === undefined ? '' : trimSpaces(value);
  return name && name.length <= NAME_MAX_LENGTH && isPersonName(name) ? name : undefined;
}

/**
 * Which account a provider's answer is, and the rules that keep that safe:
 *
 * - a linked identity (`provider`, `subject`) is that user, whatever the email says now;
 * - otherwise an account with the same email is linked only when the provider says it verified
 *   the email; else `account_exists_sign_in_to_link` (the owner signs in and links it: never a
 *   silent takeover by whoever controls a provider account claiming someone's address);
 * - no account: one is created, active and without a password, only for a verified email (a
 *   sign-up still pending for it is taken over, see UsersService.createVerified).
 *
 * Refusals are outcomes, not exceptions: the callback hands the front end a code either way,
 * and the exchange answers the problem.
 */
@Injectable()
export class OAuthAccounts {
  constructor(
    private readonly users: UsersService,
    private readonly identities: IdentitiesService,
    private readonly registry: ProviderRegistry,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  async signIn(
    provider: string,
    profile: ProviderProfile,
    origin: RequestOrigin,
    locale?: string,
  ): Promise<CodeOutcome> {
    const outcome = { purpose: 'sign_in' as const, provider };
    const known = await this.identities.findBySubject(provider, profile.subject);
    if (known) {
      await this.identities.touch(known.id, this.clock.now());
      return { ...outcome, userId: known.userId };
    }
    const existing = profile.email ? await this.users.findByEmail(profile.email) : null;
    if (existing && existing.status !== 'pending') {
      if (!profile.emailVerified)
        return this.refuse(outcome, OAuthError.AccountExists, origin, existing.id);
      if (existing.status === 'disabled')
        return this.refuse(outcome, OAuthError.AccountDisabled, origin, existing.id);
      return this.attach(existing, provider, profile, origin, 'sign_in', outcome);
    }
    if (!profile.email || !profile.emailVerified)
      return this.refuse(outcome, OAuthError.EmailNotVerified, origin);
    let user: UserDto;
    try {
      user = await this.users.createVerified(
        {
          email: profile.email,
          firstName: providedName(profile.firstName),
          lastName: providedName(profile.lastName),
          locale: isLocale(locale) ? locale : undefined,
        },
        this.clock.now(),
      );
    } catch (error) {
      // A parallel first sign-in (or a registration) created it first: decide again.
      if (error instanceof DomainException && error.code === 'email_taken')
        return this.signIn(provider, profile, origin, locale);
      throw error;
    }
    this.events.emit('auth.registered', {
      actorId: user.id,
      targetType: 'user',
      targetId: user.id,
      ...origin,
      outcome: 'success',
      details: { provider },
    });
    return this.attach(user, provider, profile, origin, 'sign_up', outcome);
  }

  /** A signed-in user links a provider account; one linked to someone else is refused. */
  async link(
    userId: string,
    provider: string,
    profile: ProviderProfile,
    origin: RequestOrigin,
  ): Promise<CodeOutcome> {
    const outcome = { purpose: 'link' as const, provider, userId };
    const user = await this.users.findById(userId);
    if (!user || user.status !== 'active')
      return this.refuse(outcome, OAuthError.AccountDisabled, origin, userId);
    return this.attach(user, provider, profile, origin, 'link', outcome);
  }

  private async attach(
    user: UserDto,
    provider: string,
    profile: ProviderProfile,
    origin: RequestOrigin,
    via: Via,
    outcome: CodeOutcome,
  ): Promise<CodeOutcome> {
    const result = await this.identities.link(user.id, provider, profile.subject, profile.email);
    if (!result.linked) return this.refuse(outcome, OAuthError.LinkedElsewhere, origin, user.id);
    if (result.created) {
      this.events.emit('auth.identity.linked', {
        actorId: user.id,
        targetType: 'user',
        targetId: user.id,
        ...origin,
        outcome: 'success',
        details: { provider, providerName: this.registry.displayName(provider), via },
        // An account the provider just created has nothing to warn its owner about.
        ...(via === 'sign_up' ? {} : { notify: { email: user.email, locale: user.locale } }),
      });
    }
    await this.identities.touch(result.identity.id, this.clock.now());
    return { ...outcome, userId: user.id, identityId: result.identity.id };
  }

  private refuse(
    outcome: CodeOutcome,
    error: OutcomeError,
    origin: RequestOrigin,
    userId?: string,
  ): CodeOutcome {
    this.events.emit('auth.oauth.failed', {
      ...(userId ? { targetType: 'user', targetId: userId } : {}),
      ...origin,
      outcome: 'failure',
      details: { provider: outcome.provider, reason: error },
    });
    return { ...outcome, error };
  }
}
