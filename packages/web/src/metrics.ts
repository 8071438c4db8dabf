// Which run metrics the UI knows by name, in the order tables show them, and how each is written.
import type { MetricValue } from '@modelyard/client';
import { formatInt, formatMetric } from './format';

/** A metric as a number: the API spells non-finite values as MLflow does ("NaN", "Infinity"). */
export function metricNumber(value: MetricValue | undefined): number | undefined {
  if (value === undefined || typeof value === 'number') return value;
  return value === 'NaN' ? Number.NaN : value === 'Infinity' ? Infinity : -Infinity;
}

const KNOWN: readonly (readonly [key: string, label: string])[] = [
  ['auc', 'AUC'],
  ['pr_auc', 'PR AUC'],
  ['logloss', 'Log loss'],
  ['accuracy', 'Accuracy'],
  ['f1', 'F1'],
  ['precision', 'Precision'],
  ['recall', 'Recall'],
  ['rmse', 'RMSE'],
  ['mae', 'MAE'],
  ['r2', 'R²'],
  ['train_rows', 'Train rows'],
  ['test_rows', 'Test rows'],
];

const LABELS = new Map(KNOWN);
const RANK = new Map(KNOWN.map(([key], index) => [key, index]));

/** The headline metric per task, the one a summary shows. */
export const HEADLINE_METRICS = ['auc', 'rmse', 'accuracy', 'r2'] as const;

export function metricLabel(key: string): string {
  const known = LABELS.get(key);
  if (known !== undefined) return known;
  const words = key.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Row counts are bookkeeping the runs record next to their scores; they are not shown to 4 decimals. */
export function isCountMetric(key: string): boolean {
  return key.endsWith('_rows') || key.endsWith('_count');
}

export function formatMetricValue(key: string, metric: MetricValue | undefined): string {
  const value = metricNumber(metric);
  if (value !== undefined && Number.isFinite(value) && isCountMetric(key)) return formatInt(value);
  if (value !== undefined && !Number.isNaN(value) && !Number.isFinite(value)) return String(value);
  return formatMetric(value);
}

const LOWER_IS_BETTER = new Set(['logloss', 'rmse', 'mae', 'mse']);

/** The best of several values of one metric (highest AUC, lowest log loss), or undefined when there are none. */
export function bestMetricValue(key: string, values: Iterable<MetricValue | undefined>): number | undefined {
  let best: number | undefined;
  for (const metric of values) {
    const value = metricNumber(metric);
    if (value === undefined || Number.isNaN(value)) continue;
    if (best === undefined || (LOWER_IS_BETTER.has(key) ? value < best : value > best)) best = value;
  }
  return best;
}

/** Known metrics first in their usual order, then the rest alphabetically. */
export function orderMetricKeys(keys: Iterable<string>): string[] {
  return [...new Set(keys)].sort((a, b) => {
    const ra = RANK.get(a) ?? (isCountMetric(a) ? Number.MAX_SAFE_INTEGER : KNOWN.length);
    const rb = RANK.get(b) ?? (isCountMetric(b) ? Number.MAX_SAFE_INTEGER : KNOWN.length);
    return ra !== rb ? ra - rb : a.localeCompare(b);
  });
}

/** The scores worth a table column: every metric that is not a row count. */
export function scoreKeys(keys: Iterable<string>): string[] {
  return orderMetricKeys(keys).filter((key) => !isCountMetric(key));
}
