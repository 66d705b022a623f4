import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { AuditedEvent, DOMAIN_EVENT_PREFIX, Emitted } from '../common/events/domain-event';
import type { AuditedEventName } from '../common/events/event-map';
import { Clock } from '../common/time/clock';
import { MailService } from './mail.service';

/** Notices that follow domain events; the event names the recipient in `notify` (never audited). */
const NOTICES: Partial<
  Record<
    AuditedEventName,
    {
      subject: string | ((e: AuditedEvent) => string);
      lines: (e: AuditedEvent, at: string) => string[];
    }
  >
> = {
  'auth.login.succeeded': {
    subject: 'New sign-in to your account',
    lines: (e, at) => [
      `Your account was signed in to at ${at}.`,
      `IP address: ${e.ip ?? 'unknown'}. Device: ${e.userAgent ?? 'unknown'}.`,
      'If this was not you, change your password and sign out of all sessions.',
    ],
  },
  'auth.password.changed': {
    subject: 'Your password was changed',
    lines: (e, at) => [
      `Your password was changed at ${at} from ${e.ip ?? 'an unknown address'}.`,
      'Your other sessions were signed out. If this was not you, reset your password now.',
    ],
  },
  'auth.password_reset.completed': {
    subject: 'Your password was reset',
    lines: (e, at) => [
      `Your password was reset at ${at} from ${e.ip ?? 'an unknown address'}.`,
      'All sessions were signed out. If this was not you, reset your password again now.',
    ],
  },
  'auth.totp.enabled': {
    subject: 'Two-factor authentication is on',
    lines: (e, at) => [
      `Two-factor authentication with an authenticator app was turned on for your account at ${at} from ${e.ip ?? 'an unknown address'}.`,
      'Keep your recovery codes somewhere safe: each one signs you in once if you lose your device.',
      'If this was not you, reset your password now and contact us.',
    ],
  },
  'auth.totp.disabled': {
    subject: 'Two-factor authentication is off',
    lines: (e, at) => [
      e.details?.by === 'admin'
        ? `An administrator turned off two-factor authentication for your account at ${at}, and signed out all your sessions.`
        : `Two-factor authentication was turned off for your account at ${at} from ${e.ip ?? 'an unknown address'}. Your other sessions were signed out.`,
      'You can turn it on again in your security settings. If you did not ask for this, reset your password now.',
    ],
  },
  'auth.totp.recovery_code_used': {
    subject: (e) =>
      e.details?.remaining === 0
        ? 'You used your last recovery code'
        : 'A recovery code was used to sign in',
    lines: (e, at) => [
      `A recovery code was used to sign in to your account at ${at} from ${e.ip ?? 'an unknown address'}.`,
      e.details?.remaining === 0
        ? 'It was your last one: create new recovery codes now, or you may be locked out if you lose your device.'
        : `You have ${String(e.details?.remaining)} unused recovery codes left.`,
      'If this was not you, change your password and sign out of all sessions.',
    ],
  },
  'auth.totp.recovery_codes_replaced': {
    subject: 'New recovery codes were created',
    lines: (e, at) => [
      `New recovery codes for two-factor authentication were created at ${at} from ${e.ip ?? 'an unknown address'}; the old ones no longer work.`,
      'If this was not you, change your password now.',
    ],
  },
  'users.profile_updated': {
    subject: 'Your profile was updated',
    lines: (e, at) => [
      `These profile fields were changed at ${at}: ${fieldNames(e.details?.fields)}.`,
      'If this was not you, change your password and sign out of all sessions.',
    ],
  },
  'users.status_changed': {
    subject: 'Your account status changed',
    lines: (e, at) => [
      e.details?.to === 'disabled'
        ? `Your account was disabled by an administrator at ${at}; all sessions were signed out.`
        : `Your account was enabled by an administrator at ${at}; you can sign in again.`,
    ],
  },
  'users.role_changed': {
    subject: 'Your role changed',
    lines: (e, at) => [
      `An administrator changed your role from "${String(e.details?.from)}" to "${String(e.details?.to)}" at ${at}.`,
    ],
  },
  'auth.login.locked': {
    subject: 'Sign-in to your account is locked for a while',
    lines: () => [
      'There were many failed attempts to sign in to your account, so sign-in is locked for an hour.',
      'If this was not you, someone may be guessing your password.',
    ],
  },
};

const FIELD_NAMES: Record<string, string> = {
  firstName: 'first name',
  lastName: 'last name',
  gender: 'gender',
  username: 'username',
  phone: 'phone number',
};

const fieldNames = (fields: unknown) =>
  Array.isArray(fields)
    ? fields.map((field) => FIELD_NAMES[field] ?? String(field)).join(', ')
    : 'some';

@Injectable()
export class NotificationsListener {
  constructor(
    private readonly mail: MailService,
    private readonly clock: Clock,
  ) {}

  @OnEvent(`${DOMAIN_EVENT_PREFIX}.**`, { async: true })
  onDomainEvent(event: Emitted): void {
    if (!('outcome' in event)) return;
    const notice = NOTICES[event.action as AuditedEventName];
    const to = event.notify?.email;
    if (!notice || !to) return;
    const lines = notice.lines(event, this.clock.now().toISOString());
    this.mail.send({
      to,
      subject: typeof notice.subject === 'string' ? notice.subject : notice.subject(event),
      template: 'notice',
      text: lines.join('\n\n'),
      context: { lines },
    });
  }
}
