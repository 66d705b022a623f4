import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { AuditedEvent, DOMAIN_EVENT_PREFIX, Emitted } from '../common/events/domain-event';
import type { AuditedEventName } from '../common/events/event-map';
import { Clock } from '../common/time/clock';
import { MailService } from './mail.service';

/** Notices that follow domain events; the event names the recipient in `notify` (never audited). */
const NOTICES: Partial<
  Record<AuditedEventName, { subject: string; lines: (e: AuditedEvent, at: string) => string[] }>
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
      subject: notice.subject,
      template: 'notice',
      text: lines.join('\n\n'),
      context: { lines },
    });
  }
}
