// The built-in metric sources: latency percentiles from the inference log, the error rate from the request counter,
// and accuracy-type metrics from feedback labels joined with the logged answers.

import type { MetadataStore } from '../store/metadata-store.js';
import type { MetricReading, MetricSource } from './alert-source.js';
import type { RequestCounter } from './alert-request-counter.js';
import { recordMetrics } from './labelled-window.js';

/** Requests or labelled records read for one evaluation at most (the newest ones). */
export const MAX_WINDOW_ROWS = 200_000;

/** The q-quantile (0..1) with linear interpolation between order statistics, as numpy's default. */
export function quantile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

export function latencySource(store: MetadataStore, flush: () => Promise<void>): MetricSource {
  return {
    metrics: ['latency_p50', 'latency_p99'],
    async value(rule, from, to) {
      await flush();
      const latencies = await store.inferenceLatencies(rule.endpointId, {
        from: from.toISOString(),
        to: to.toISOString(),
        limit: MAX_WINDOW_ROWS,
      });
      return { value: quantile(latencies, rule.metric === 'latency_p50' ? 0.5 : 0.99), samples: latencies.length };
    },
  };
}

export function errorRateSource(counter: RequestCounter): MetricSource {
  return {
    metrics: ['error_rate'],
    async value(rule, from, to) {
      const { total, errors } = counter.counts(rule.endpointId, from.getTime(), to.getTime());
      return { value: total === 0 ? null : errors / total, samples: total };
    },
  };
}

export function labelledSource(store: MetadataStore, flush: () => Promise<void>): MetricSource {
  return {
    metrics: ['accuracy', 'auc', 'log_loss', 'rmse', 'mae'],
    async value(rule, from, to): Promise<MetricReading> {
      await flush();
      const records = await store.labelledRecords(rule.endpointId, {
        from: from.toISOString(),
        to: to.toISOString(),
        limit: MAX_WINDOW_ROWS,
      });
      if (records.length === 0) return { value: null, samples: 0 };
      const { metrics, count } = recordMetrics(records);
      return { value: metrics[rule.metric] ?? null, samples: count };
    },
  };
}
