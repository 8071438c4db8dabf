// Signs webhook bodies so receivers can tell they came from this server: HMAC-SHA256 of the raw body, hex.

import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-modelyard-signature';

/** `sha256=<hex HMAC-SHA256 of body under secret>`, the value of the x-modelyard-signature header. */
export function signWebhook(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** Whether a header value is the body's signature under `secret` (constant time); for receivers and tests. */
export function verifyWebhook(body: string, secret: string, header: string | undefined): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(signWebhook(body, secret), 'utf8');
  const given = Buffer.from(header, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
