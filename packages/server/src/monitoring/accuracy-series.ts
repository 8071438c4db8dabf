// The accuracy time series of an endpoint: metrics from delayed feedback labels per bucket of prediction time and,
// when asked, over the trailing window at each bucket's end (what an SLA rule such as "AUC ≥ 0.75 over 7 days" reads).

import type { AccuracyBucket, AccuracySeries, LabelledMetricName, LabelledWindow } from '@modelyard/client';
import type { LabelledRecord } from '../store/metadata-store.js';
import { labelledTask, recordMetrics, TASK_METRICS, type LabelledTask } from './labelled-window.js';

export interface AccuracyLayout {
  endpointId: string;
  /** Epoch ms: buckets start at `from`, one every `bucketMs`, the last cut at `to`. */
  from: number;
  to: number;
  bucket: string;
  bucketMs: number;
  window: string | null;
  windowMs: number | null;
}

/** Index of the first record predicted at or after `time` (records are sorted by prediction time). */
function lowerBound(times: Float64Array, time: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function windowOf(
  records: readonly LabelledRecord[],
  task: LabelledTask | null,
  names: LabelledMetricName[],
  from: number,
  to: number,
): LabelledWindow {
  const { metrics, count } = recordMetrics(records, task);
  const values: LabelledWindow['metrics'] = {};
  for (const name of names) values[name] = count === 0 ? null : (metrics[name] ?? null);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), count, metrics: values };
}

/**
 * The series over `records`, which must cover [from − window, to) sorted by prediction time (as
 * `store.labelledRecords` returns them). A bucket without labels has count 0 and null metrics.
 */
export function accuracySeries(
  records: readonly LabelledRecord[],
  layout: AccuracyLayout,
  truncated: boolean,
): AccuracySeries {
  const task = labelledTask(records);
  const names = task === null ? [] : TASK_METRICS[task];
  const times = Float64Array.from(records, (r) => Date.parse(r.predictedAt));
  const slice = (from: number, to: number) => records.slice(lowerBound(times, from), lowerBound(times, to));
  const buckets: AccuracyBucket[] = [];
  for (let start = layout.from; start < layout.to; start += layout.bucketMs) {
    const end = Math.min(start + layout.bucketMs, layout.to);
    const inBucket = slice(start, end);
    const byRoute = (route: 'primary' | 'canary') =>
      windowOf(
        inBucket.filter((r) => r.route === route),
        task,
        names,
        start,
        end,
      );
    buckets.push({
      ...windowOf(inBucket, task, names, start, end),
      rolling:
        layout.windowMs === null
          ? null
          : windowOf(slice(end - layout.windowMs, end), task, names, end - layout.windowMs, end),
      routes: { primary: byRoute('primary'), canary: byRoute('canary') },
    });
  }
  return {
    endpointId: layout.endpointId,
    from: new Date(layout.from).toISOString(),
    to: new Date(layout.to).toISOString(),
    bucket: layout.bucket,
    window: layout.window,
    task,
    metrics: names,
    buckets,
    records: records.length,
    truncated,
  };
}
