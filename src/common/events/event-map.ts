/**
 * Every event of the domain bus, by name, with its payload. A misspelt name or a wrong payload is
 * a compile error at `emit` and at `@OnDomainEvent`. Two kinds share the map:
 *
 * - audited events (payload `AuditedEvent`): the audit writer stores each as one entry, taking
 *   only the `AuditFields`; a `notify` block is for the notification mailer and never stored;
 * - effects (payload without `outcome`): cross-feature consequences such as "a user is being
 *   deleted → delete what they own", emitted with `emitAsync` so they complete (or fail the
 *   request) before the response is sent. They are not audited.
 */

/** Who did what to whom, from where, and how it ended: what an audit entry keeps. */
export interface AuditFields {
  actorId?: string;
  targetType?: string;
  targetId?: string;
  ip?: string;
  userAgent?: string;
  outcome: 'success' | 'failure';
  /** Never a password, hash, code, token, secret or email address. */
  details?: Record<string, unknown>;
}

/** Where a notification mail goes; read by the mailer, never written to the audit log. */
export interface Notify {
  email: string;
  /** The recipient's language (`en` when unset). */
  locale?: string;
}

export type AuditedEvent = AuditFields & { notify?: Notify };
type Notified = AuditFields & { notify: Notify };

/** A user whose data changed (profile, role, status, ...): cached copies must go. */
export interface UserChanged {
  userId: string;
}

/** A user disabled (by an admin): every session ends at once. */
export interface UserDisabled {
  userId: string;
}

/** A user being deleted: every feature removes what it owns (idempotent: a job may repeat it). */
export interface UserDeleting {
  userId: string;
}

export interface EventMap {
  // auth
  'auth.registered': AuditedEvent;
  'auth.email_verified': AuditedEvent;
  'auth.login.failed': AuditedEvent;
  /** A lock set on an (account, IP) pair or an account (`details.scope`: `ip` or `account`). */
  'auth.login.locked': AuditedEvent;
  /** A session started; `details.secondStep` (a SecondStepMethod, auth/second-steps) when it took a second step. */
  'auth.login.succeeded': Notified;
  /** A wrong answer at the second step (`details.method`: a SecondStepName). */
  'auth.second_step.failed': AuditedEvent;
  'auth.refresh.reused': AuditedEvent;
  'auth.logout': AuditedEvent;
  'auth.logout_all': AuditedEvent;
  'auth.password_reset.requested': AuditedEvent;
  'auth.password_reset.completed': Notified;
  /** An admin mailed the user a fresh email-verification code (`details.by`: `admin`). */
  'auth.verification_resent': AuditedEvent;
  'auth.password.changed': Notified;
  /** The owner removed their password (passwordless: a passkey signs in). */
  'auth.password.removed': Notified;
  'auth.totp.set_up': AuditedEvent;
  'auth.totp.enabled': Notified;
  /** `details.by`: `owner` or `admin`; `details.method`: what the owner confirmed with. */
  'auth.totp.disabled': Notified;
  /** `details.remaining`: unused recovery codes left. */
  'auth.totp.recovery_code_used': Notified;
  'auth.totp.recovery_codes_replaced': Notified;
  /** `details.passkeyId`, `details.backedUp`. */
  'auth.passkey.added': Notified;
  'auth.passkey.renamed': AuditedEvent;
  /** `details.by`: `owner` or `admin`. */
  'auth.passkey.removed': Notified;
  /** A signature counter that went back (`details.stored`, `details.presented`): refused. */
  'auth.passkey.cloned': AuditedEvent;
  /** A wrong password or code at setup, disable or new recovery codes (`details.action`, `reason`). */
  'auth.totp.check_failed': AuditedEvent;
  /**
   * A sign-in provider identity linked to a user (`details.provider`, `details.providerName`,
   * `details.via`: `sign_in` when linked by a verified email at sign-in, `link` from the account,
   * `sign_up` for an account the provider created). Mailed.
   */
  'auth.identity.linked': AuditedEvent;
  'auth.identity.unlinked': Notified;
  /** A provider sign-in refused after the provider answered (`details.provider`, `reason`). */
  'auth.oauth.failed': AuditedEvent;
  /**
   * An admin started acting as a user (actor: the admin, target: the user; `details.sessionId`,
   * `details.minutes`). The user is mailed.
   */
  'auth.impersonation.started': Notified;
  /**
   * One request made while acting as a user (actor: the admin, target: the user;
   * `details.method`, `details.route`, `details.status`).
   */
  'auth.impersonation.request': AuditedEvent;
  /** The admin stopped acting as the user (its session ended). */
  'auth.impersonation.ended': AuditedEvent;
  // sessions
  'sessions.revoked': AuditedEvent;
  /**
   * An admin ended a user's sessions (target: the user; `details.sessionId` for one, or
   * `details.all` with `details.count`).
   */
  'sessions.revoked_by_admin': AuditedEvent;
  // users
  'users.profile_updated': Notified;
  'users.status_changed': Notified;
  'users.role_changed': Notified;
  'users.deleted': AuditedEvent;
  /** An admin created an invited account (`details.role`); the code mail is not a notice. */
  'users.invited': AuditedEvent;
  'users.invitation_resent': AuditedEvent;
  'users.invitation_revoked': AuditedEvent;
  /** The invited user chose a password (the actor is the user). */
  'users.invitation_accepted': AuditedEvent;
  /** An import ran (`details`: created, skipped, invited, refused counts; never a line). */
  'users.imported': AuditedEvent;
  /** Custom data written (`details.fields`: which slots; never their content). */
  'users.metadata_updated': AuditedEvent;
  /** An admin exported users (`details`: count, filters, `passwordHashes`). */
  'users.exported': AuditedEvent;
  /** A user downloaded their own data. */
  'users.data_exported': AuditedEvent;
  'users.changed': UserChanged;
  'users.disabled': UserDisabled;
  'users.deleting': UserDeleting;
  // rbac
  'roles.created': AuditedEvent;
  'roles.updated': AuditedEvent;
  'roles.deleted': AuditedEvent;
  // signing keys
  /** An operator rotated at once (`details.previousKid`: the key it replaced). */
  'signing_keys.rotated': AuditedEvent;
  /** The rotation job published the next key ahead of its use. */
  'signing_keys.published': AuditedEvent;
  /** A retired key left the set after its grace. */
  'signing_keys.dropped': AuditedEvent;
  // OpenID provider clients (`details.name`; on creation also grantTypes, public, firstParty)
  'oidc_clients.created': AuditedEvent;
  'oidc_clients.secret_rotated': AuditedEvent;
  'oidc_clients.deleted': AuditedEvent;
  // webhook endpoints (`details.url` host only, `details.events`; never the secret)
  'webhooks.created': AuditedEvent;
  'webhooks.updated': AuditedEvent;
  'webhooks.secret_rotated': AuditedEvent;
  'webhooks.deleted': AuditedEvent;
  /** An admin queued a delivery again (`details.deliveryId`). */
  'webhooks.resent': AuditedEvent;
  /**
   * Turned off by the sender (`details.reason`: `gone` for a 410, `failing` after the whole
   * schedule; `details.host`); mailed to the admin who registered it.
   */
  'webhooks.disabled': AuditedEvent;
  // assets
  'assets.uploaded': AuditedEvent;
  'assets.deleted': AuditedEvent;
  'assets.deleted_by_admin': AuditedEvent;
  'assets.bulk_deleted': AuditedEvent;
}

export type EventName = keyof EventMap;
export type AuditedEventName = {
  [K in EventName]: EventMap[K] extends AuditFields ? K : never;
}[EventName];
