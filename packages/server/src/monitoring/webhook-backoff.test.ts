import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, nominalDelay, retryableStatus, retryDelay } from './webhook-backoff.js';

describe('webhook back-off', () => {
  it('doubles from the base after each failure and stops at the cap', () => {
    const delays = Array.from({ length: 12 }, (_, i) => nominalDelay(i + 1, DEFAULT_BACKOFF));
    expect(delays.slice(0, 6)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000]);
    expect(delays.slice(9)).toEqual([300_000, 300_000, 300_000]);
    expect(nominalDelay(3, { baseMs: 50, capMs: 120 })).toBe(120);
  });

  it('adds at most the jitter fraction, never less than the nominal delay', () => {
    const policy = { ...DEFAULT_BACKOFF, jitter: 0.25 };
    expect(retryDelay(3, policy, () => 0)).toBe(4_000);
    expect(retryDelay(3, policy, () => 0.999999)).toBe(5_000);
    for (let i = 0; i < 200; i++) {
      const d = retryDelay(2, policy);
      expect(d).toBeGreaterThanOrEqual(2_000);
      expect(d).toBeLessThanOrEqual(2_500);
    }
  });

  it('retries timeouts, throttling and server errors, not other client errors', () => {
    expect([200, 204].map(retryableStatus)).toEqual([false, false]);
    expect([400, 401, 403, 404, 410, 422].map(retryableStatus)).toEqual([false, false, false, false, false, false]);
    expect([408, 429, 500, 502, 503, 504, 301].map(retryableStatus)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
  });
});
