import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from './webhook-signature.js';

describe('signWebhook', () => {
  it('is sha256= and the hex HMAC-SHA256 of the raw body under the secret', () => {
    const body = JSON.stringify({ alert: { id: 'alert_1', value: 0.25 }, note: 'héllo ✓' });
    const secret = 's3cr3t-ключ';
    const expected = createHmac('sha256', Buffer.from(secret, 'utf8')).update(Buffer.from(body, 'utf8')).digest('hex');
    expect(signWebhook(body, secret)).toBe(`sha256=${expected}`);
  });

  it('matches a published HMAC-SHA256 test vector (RFC 4231 case 2)', () => {
    expect(signWebhook('what do ya want for nothing?', 'Jefe')).toBe(
      'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('verifies only the exact body and secret', () => {
    const body = '{"a":1}';
    const header = signWebhook(body, 'k');
    expect(verifyWebhook(body, 'k', header)).toBe(true);
    expect(verifyWebhook('{"a":2}', 'k', header)).toBe(false);
    expect(verifyWebhook(body, 'other', header)).toBe(false);
    expect(verifyWebhook(body, 'k', undefined)).toBe(false);
    expect(verifyWebhook(body, 'k', 'sha256=00')).toBe(false);
  });
});
