import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A new signing secret in the Standard Webhooks form: `whsec_` and 32 random bytes, base64. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/** A message id (`webhook-id`): the same on every retry, so receivers can drop duplicates. */
export const newMessageId = (): string => `msg_${randomBytes(16).toString('base64url')}`;

/**
 * The Standard Webhooks headers for one attempt, signed by the reference library: `v1,` and the
 * HMAC-SHA256 of `id.timestamp.body` under each secret, space-separated, so during a rotation's
 * overlap a receiver holding either the old or the new secret verifies.
 */
export function signatureHeaders(
  messageId: string,
  at: Date,
  body: string,
  secrets: readonly string[],
): Record<string, string> {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((s) => new Webhook(s).sign(messageId, at, body)).join(' '),
  };
}
