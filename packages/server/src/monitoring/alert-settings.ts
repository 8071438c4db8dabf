// How often rules are evaluated and how webhooks are delivered: defaults, MODELYARD_ALERT_* / MODELYARD_WEBHOOK_*
// environment variables, and start options (tests make everything fast).

import { DEFAULT_BACKOFF, type BackoffPolicy } from './webhook-backoff.js';

export interface AlertSettings {
  /** Every enabled rule is evaluated this often (MODELYARD_ALERT_INTERVAL_SECONDS, 60 s); 0 turns the timer off. */
  intervalMs: number;
  /** One delivery attempt's limit (MODELYARD_WEBHOOK_TIMEOUT_MS, 5 s). */
  webhookTimeoutMs: number;
  /** Retries: base and cap of the back-off, jitter, attempts in all (MODELYARD_WEBHOOK_MAX_ATTEMPTS). */
  backoff: BackoffPolicy;
  /** How often the outbox looks for due deliveries (ms). */
  pollMs: number;
}

export interface AlertSettingsInput {
  intervalMs?: number;
  webhookTimeoutMs?: number;
  backoff?: Partial<BackoffPolicy>;
  pollMs?: number;
}

function envNumber(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got '${text}'`);
  return value;
}

export function alertSettings(input: AlertSettingsInput = {}): AlertSettings {
  const intervalSeconds = envNumber('MODELYARD_ALERT_INTERVAL_SECONDS');
  const maxAttempts = envNumber('MODELYARD_WEBHOOK_MAX_ATTEMPTS');
  return {
    intervalMs: input.intervalMs ?? (intervalSeconds !== undefined ? intervalSeconds * 1000 : 60_000),
    webhookTimeoutMs: input.webhookTimeoutMs ?? envNumber('MODELYARD_WEBHOOK_TIMEOUT_MS') ?? 5_000,
    backoff: {
      ...DEFAULT_BACKOFF,
      ...(maxAttempts !== undefined && { maxAttempts: Math.max(1, Math.floor(maxAttempts)) }),
      ...input.backoff,
    },
    pollMs: input.pollMs ?? 1_000,
  };
}
