import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { AuditedEvent, DOMAIN_EVENT_PREFIX, Emitted } from '../common/events/domain-event';
import type { AuditedEventName } from '../common/events/event-map';
import { DEFAULT_LOCALE, isLocale, Locale } from '../common/i18n/locales';
import { Translator } from '../common/i18n/translator';
import { Clock } from '../common/time/clock';
import { MailService } from './mail.service';

/** One line of a notice: a key under `mails.notice.<notice>` and the values it names. */
type Line = [key: string, args?: Record<string, string | number>];

interface Notice {
  /** The notice's keys in `mails.json` (`mails.notice.<name>.*`). */
  name: string;
  subject?: (e: AuditedEvent) => string;
  lines: (e: AuditedEvent) => Line[];
}

/** Notices that follow domain events; the event names the recipient in `notify` (never audited). */
const NOTICES: Partial<Record<AuditedEventName, Notice>> = {
  'auth.login.succeeded': {
    name: 'login_succeeded',
    lines: () => [['when'], ['where'], ['advice']],
  },
  'auth.password.changed': { name: 'password_changed', lines: () => [['when'], ['advice']] },
  'auth.password.removed': { name: 'password_removed', lines: () => [['when'], ['advice']] },
  'auth.password_reset.completed': {
    name: 'password_reset',
    lines: () => [['when'], ['advice']],
  },
  'auth.totp.enabled': { name: 'totp_enabled', lines: () => [['when'], ['codes'], ['advice']] },
  'auth.totp.disabled': {
    name: 'totp_disabled',
    lines: (e) => [[e.details?.by === 'admin' ? 'by_admin' : 'by_owner'], ['advice']],
  },
  'auth.totp.recovery_code_used': {
    name: 'recovery_code_used',
    subject: (e) => (e.details?.remaining === 0 ? 'subject_last' : 'subject'),
    lines: (e) => [
      ['when'],
      e.details?.remaining === 0
        ? ['last']
        : ['remaining', { remaining: String(e.details?.remaining) }],
      ['advice'],
    ],
  },
  'auth.totp.recovery_codes_replaced': {
    name: 'recovery_codes_replaced',
    lines: () => [['when'], ['advice']],
  },
  'auth.passkey.added': { name: 'passkey_added', lines: () => [['when'], ['advice']] },
  'auth.passkey.removed': {
    name: 'passkey_removed',
    lines: (e) => [[e.details?.by === 'admin' ? 'by_admin' : 'by_owner'], ['advice']],
  },
  'auth.identity.linked': {
    name: 'identity_linked',
    lines: (e) => [['when', { provider: String(e.details?.providerName) }], ['advice']],
  },
  'auth.identity.unlinked': {
    name: 'identity_unlinked',
    lines: (e) => [['when', { provider: String(e.details?.providerName) }], ['advice']],
  },
  'users.profile_updated': { name: 'profile_updated', lines: () => [['when'], ['advice']] },
  'users.status_changed': {
    name: 'status_changed',
    lines: (e) => [[e.details?.to === 'disabled' ? 'disabled' : 'enabled']],
  },
  'users.role_changed': {
    name: 'role_changed',
    lines: (e) => [['when', { from: String(e.details?.from), to: String(e.details?.to) }]],
  },
  'auth.login.locked': { name: 'login_locked', lines: () => [['why'], ['advice']] },
  'webhooks.disabled': {
    name: 'webhook_disabled',
    lines: (e) => [
      [e.details?.reason === 'gone' ? 'gone' : 'failing', { host: String(e.details?.host) }],
      ['advice'],
    ],
  },
  'auth.impersonation.started': {
    name: 'impersonation_started',
    lines: (e) => [['when', { minutes: String(e.details?.minutes) }], ['advice']],
  },
};

@Injectable()
export class NotificationsListener {
  constructor(
    private readonly mail: MailService,
    private readonly translator: Translator,
    private readonly clock: Clock,
  ) {}

  @OnEvent(`${DOMAIN_EVENT_PREFIX}.**`, { async: true })
  onDomainEvent(event: Emitted): void {
    if (!('outcome' in event)) return;
    const notice = NOTICES[event.action as AuditedEventName];
    const to = event.notify?.email;
    if (!notice || !to) return;
    const lang: Locale = isLocale(event.notify?.locale) ? event.notify.locale : DEFAULT_LOCALE;
    const t = (key: string, args?: Record<string, string | number>) =>
      this.translator.t(lang, `mails.${key}`, args);
    // Values every notice may name; a line uses those it needs.
    const common = {
      at: this.translator.date(lang, this.clock.now()),
      ip: event.ip ?? t('unknown_address'),
      device: event.userAgent ?? t('unknown'),
      fields: this.fieldNames(lang, event.details?.fields),
    };
    const lines = notice
      .lines(event)
      .map(([key, args]) => t(`notice.${notice.name}.${key}`, { ...common, ...args }));
    this.mail.send({
      to,
      subject: t(`notice.${notice.name}.${notice.subject?.(event) ?? 'subject'}`),
      template: 'notice',
      text: lines.join('\n\n'),
      context: { lines, lang },
    });
  }

  private fieldNames(lang: Locale, fields: unknown): string {
    if (!Array.isArray(fields)) return this.translator.t(lang, 'mails.some_fields');
    return fields
      .map((field) => this.translator.t(lang, `mails.fields.${String(field)}`))
      .join(', ');
  }
}
