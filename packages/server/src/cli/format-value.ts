// How numbers, times and versions read in human output.

/** A metric with 4 decimals (0.8312), 4 significant digits when tiny (1.235e-5), integers as they are. */
export function formatMetric(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  if (Math.abs(value) < 0.0005) return value.toPrecision(4);
  return value.toFixed(4);
}

/** `2026-11-25T01:02:03.456Z` → `2026-11-25 01:02:03`. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, '');
}

/** A content-hash version, short enough to read and long enough to be unique in practice. */
export function shortVersion(version: string | null | undefined): string {
  return version ? version.slice(0, 12) : '';
}

/** `1234` ms → `1.2s`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}
