// Durations of alert windows and cooldowns: a whole number and a unit, such as `90s`, `15m`, `1h`, `7d`.

import { badRequest } from '../errors.js';

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** Windows longer than this read too much of the log in one evaluation. */
export const MAX_DURATION_MS = 90 * 86_400_000;

/** Milliseconds of a duration, or undefined when the text is not one. */
export function durationMs(text: string): number | undefined {
  const match = /^([1-9][0-9]{0,6})([smhd])$/.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2]!]!;
  return ms <= MAX_DURATION_MS ? ms : undefined;
}

/** The duration in ms, or 400 `invalid_duration` naming the field. */
export function checkDuration(field: string, text: string): number {
  const ms = durationMs(text);
  if (ms === undefined) {
    throw badRequest(
      'invalid_duration',
      `${field} '${text}' is not a duration such as 30s, 15m, 1h or 7d (at most 90 days).`,
      { field, value: text },
    );
  }
  return ms;
}
