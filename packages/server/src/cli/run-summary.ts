// Human text for runs: the headline metric, a metrics table, and a run's full description.

import type { Run } from '@modelyard/client';
import { formatTable } from './format-table.js';
import { formatDuration, formatMetric, formatTime, shortVersion } from './format-value.js';

const HEADLINE: Record<NonNullable<Run['task']>, string[]> = {
  classification: ['auc', 'accuracy', 'logloss'],
  regression: ['rmse', 'r2', 'mae'],
};

/** `auc 0.8312`, the one metric a list shows. */
export function headlineMetric(run: Run): string {
  const preferred = run.task === null ? [] : HEADLINE[run.task];
  const name = preferred.find((m) => run.metrics[m] !== undefined) ?? Object.keys(run.metrics).sort()[0];
  return name === undefined ? '' : `${name} ${formatMetric(run.metrics[name])}`;
}

export function metricsTable(run: Run): string {
  const names = Object.keys(run.metrics).sort();
  if (names.length === 0) return 'No metrics.';
  return formatTable(
    ['METRIC', 'VALUE'],
    names.map((n) => [n, formatMetric(run.metrics[n])]),
  );
}

/** `run run_1 succeeded in 2.1s (classification glm, target Status, dataset ds_1@1a2b3c4d5e6f)`. */
export function runHeadline(run: Run): string {
  const took = run.durationMs !== null ? ` in ${formatDuration(run.durationMs)}` : '';
  if (run.kind !== 'training') return `run ${run.id} ${run.status}${took} (${run.kind})`;
  return (
    `run ${run.id} ${run.status}${took} (${run.task} ${run.algorithm}, target ${run.target}, ` +
    `dataset ${run.datasetId}@${shortVersion(run.datasetVersion ?? '')})`
  );
}

export function describeRun(run: Run): string {
  const fields = formatTable(null, [
    ['id', run.id],
    ['name', run.name],
    ['status', run.status],
    ['kind', run.kind],
    ['experiment', run.experimentId],
    ...(run.kind === 'training'
      ? [
          ['task', run.task ?? ''],
          ['algorithm', run.algorithm ?? ''],
          ['target', run.target ?? ''],
          ['dataset', `${run.datasetId}@${run.datasetVersion}`],
        ]
      : []),
    ['progress', `${Math.round(run.progress * 100)}%`],
    ['created', `${formatTime(run.createdAt)} by ${run.createdBy}`],
    ['started', formatTime(run.startedAt)],
    ['finished', formatTime(run.finishedAt)],
    ['duration', formatDuration(run.durationMs)],
    ...(run.error ? [['error', `${run.error.message} (${run.error.code})`]] : []),
  ]);
  const params = Object.keys(run.params).sort();
  const paramsTable =
    params.length === 0
      ? ''
      : `\n\n${formatTable(
          ['PARAM', 'VALUE'],
          params.map((p) => [p, String(run.params[p])]),
        )}`;
  return `${fields}\n\n${metricsTable(run)}${paramsTable}`;
}
