// Metric sources for alert rules from monitoring: the share of drifted features and dataset drift (1 or 0) of the
// newest drift report made in the rule's window, and the share of answered records that fell outside the training
// profile.

import type { MetadataStore } from '../store/metadata-store.js';
import type { MetricSource } from './alert-source.js';

/** Drift metrics read the newest report created in the window; none in it is "no data". */
export function driftSource(store: MetadataStore): MetricSource {
  return {
    metrics: ['drift_share', 'dataset_drift'],
    async value(rule, from, to) {
      const [report] = await store.listDriftReports(rule.endpointId, {
        limit: 1,
        from: from.toISOString(),
        to: to.toISOString(),
      });
      if (report === undefined) return { value: null, samples: 0 };
      const value =
        rule.metric === 'dataset_drift'
          ? Number(report.datasetDrift)
          : report.testedColumns === 0
            ? null
            : report.driftedColumns / report.testedColumns;
      return { value, samples: report.currentRows };
    },
  };
}

export function outOfProfileSource(store: MetadataStore, flush: () => Promise<void>): MetricSource {
  return {
    metrics: ['out_of_profile_share'],
    async value(rule, from, to) {
      await flush();
      const { records, flagged } = await store.flaggedShare(rule.endpointId, {
        from: from.toISOString(),
        to: to.toISOString(),
      });
      return { value: records === 0 ? null : flagged / records, samples: records };
    },
  };
}
