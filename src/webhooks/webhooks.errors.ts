import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';
import { UrlRefusal } from './delivery/target-url';

/** The webhooks feature's error codes, in one place. */
export enum WebhookError {
  UrlRefused = 'webhook_url_refused',
}

/** The problem's detail (a sentence of the errors catalogue, so it is translated). */
const DETAILS: Record<UrlRefusal, string> = {
  invalid_url: 'The webhook URL must be an absolute http(s) URL without credentials.',
  https_required: 'The webhook URL must be an https URL.',
  blocked_address: 'The webhook URL must not point at a loopback, private or link-local address.',
  dns_failed: 'The webhook URL could not be resolved.',
};

/** What the field error says. */
const REASONS: Record<UrlRefusal, string> = {
  invalid_url: 'must be an absolute http(s) URL without credentials',
  https_required: 'must be an https URL',
  blocked_address: 'must not point at a loopback, private or link-local address',
  dns_failed: 'could not be resolved',
};

export const webhookErrors = {
  /** The URL breaks the sender's rules (WEBHOOK_ALLOW_PRIVATE_NETWORKS decides two of them). */
  urlRefused: (reason: UrlRefusal) =>
    new DomainException(HttpStatus.BAD_REQUEST, WebhookError.UrlRefused, DETAILS[reason], {
      errors: [{ field: 'url', message: REASONS[reason] }],
    }),
};
