// When a failed webhook delivery is tried again: exponential back-off with a cap, plus jitter so that many
// deliveries failing together do not all retry at the same instant.

export interface BackoffPolicy {
  /** Delay after the first failure (ms). */
  baseMs: number;
  /** No delay exceeds this before jitter (ms). */
  capMs: number;
  /** Up to this fraction is added at random (0.25: 1 s becomes 1–1.25 s). */
  jitter: number;
  /** Attempts in all, the first included; the delivery fails after the last. */
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 300_000, jitter: 0.25, maxAttempts: 8 };

/** The nominal delay after `failures` failed attempts (1, 2, 3 …): base, 2·base, 4·base … capped. */
export function nominalDelay(failures: number, policy: Pick<BackoffPolicy, 'baseMs' | 'capMs'>): number {
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
}

/** The delay before the next attempt, jitter included; `random` returns values in [0, 1). */
export function retryDelay(failures: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const nominal = nominalDelay(failures, policy);
  return Math.round(nominal * (1 + policy.jitter * random()));
}

/** Whether an answer with this HTTP status is worth another attempt: 408, 429 and anything but 2xx or 4xx. */
export function retryableStatus(status: number): boolean {
  if (status >= 200 && status < 300) return false;
  if (status === 408 || status === 429) return true;
  return !(status >= 400 && status < 500);
}
