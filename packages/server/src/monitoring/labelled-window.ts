// Metrics of a set of labelled records (feedback labels joined with the logged answers): what alert rules on
// accuracy-type metrics read and what the accuracy series draws, computed the same way for both.

import type { ClassPrediction, LabelledMetricName, RegressionPrediction } from '@modelyard/client';
import { labelledMetrics } from '../serving/labelled-metrics.js';
import type { LabelledRecord } from '../store/metadata-store.js';

export type LabelledTask = 'classification' | 'regression';

export const TASK_METRICS: Record<LabelledTask, LabelledMetricName[]> = {
  classification: ['accuracy', 'log_loss', 'auc'],
  regression: ['rmse', 'mae', 'r2'],
};

/** The task the labels say: numbers are regression targets, text is a class. */
export function labelledTask(records: readonly LabelledRecord[]): LabelledTask | null {
  if (records.length === 0) return null;
  return typeof records[0]!.label === 'number' ? 'regression' : 'classification';
}

/**
 * The metrics of the records of `task` (the first record's when not given); records of the other kind, or whose
 * answer does not fit it, are left out of the metrics and of `count`.
 */
export function recordMetrics(
  records: readonly LabelledRecord[],
  task: LabelledTask | null = labelledTask(records),
): { metrics: Record<string, number>; count: number } {
  if (task === null) return { metrics: {}, count: 0 };
  if (task === 'regression') {
    const rows = records.filter((r) => typeof r.label === 'number' && 'value' in r.output);
    const metrics = labelledMetrics({
      task: 'regression',
      labels: rows.map((r) => r.label as number),
      answers: rows.map((r) => r.output as RegressionPrediction),
    });
    return { metrics, count: rows.length };
  }
  const rows = records.filter((r) => typeof r.label === 'string' && 'probabilities' in r.output);
  const classes = new Set<string>();
  for (const r of rows) for (const c of Object.keys((r.output as ClassPrediction).probabilities)) classes.add(c);
  const metrics = labelledMetrics({
    task: 'classification',
    classes: [...classes],
    labels: rows.map((r) => r.label as string),
    answers: rows.map((r) => r.output as ClassPrediction),
  });
  return { metrics, count: rows.length };
}
