// Where alert rules get their numbers: a MetricSource computes one or more metrics of an endpoint over a window.
// The serving metrics are built in (alert-sources.ts); drift, out-of-profile and probe metrics are registered by their
// own rooms through `services.alerts.registerSource(source)`.

import type { AlertRuleRecord } from '../store/alert-store.js';

export interface MetricReading {
  /** null: no data in the window (the rule neither fires nor resolves). */
  value: number | null;
  /** How many observations the value is computed from (requests, labelled records, …); checked against minSamples. */
  samples: number;
}

export interface MetricSource {
  /** The rule metrics this source computes (e.g. `['drift_share', 'dataset_drift']`). */
  metrics: string[];
  /** The rule's metric on its endpoint (`rule.endpointId`, `rule.projectId`) over [windowStart, windowEnd). */
  value(rule: AlertRuleRecord, windowStart: Date, windowEnd: Date): Promise<MetricReading>;
}
