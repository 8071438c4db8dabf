// Metric source for alert rules on fairness: the disparity between the segments of the rule's column over its window,
// read from `endpointFairness`, so a rule's value is the one `GET /endpoints/{e}/fairness` answers for that window.

import type { AlertMetric, AlertRuleOptions, FairnessDisparity } from '@modelyard/client';
import { ModelyardError } from '../errors.js';
import type { Services } from '../services.js';
import type { MetricSource } from './alert-source.js';
import { endpointFairness } from './endpoint-fairness.js';

/** Each fairness metric and the disparity figure it reads. */
const DISPARITY_OF = {
  demographic_parity_ratio: 'demographicParityRatio',
  equal_opportunity_ratio: 'equalOpportunityRatio',
  demographic_parity_difference: 'demographicParityDifference',
  equalized_odds_difference: 'equalizedOddsDifference',
} as const satisfies Partial<Record<AlertMetric, keyof FairnessDisparity>>;

export type FairnessAlertMetric = keyof typeof DISPARITY_OF;

export const FAIRNESS_ALERT_METRICS = Object.keys(DISPARITY_OF) as FairnessAlertMetric[];

export const isFairnessMetric = (metric: string): metric is FairnessAlertMetric => Object.hasOwn(DISPARITY_OF, metric);

/**
 * What the window's records cannot answer — none labelled, no logged input with the column, a positive class the model
 * does not have — is no data for the rule, not a failed evaluation.
 */
const NO_DATA = new Set(['no_labelled_records', 'unknown_column', 'invalid_positive_class']);

/** `samples` is the labelled records sliced; the value is null with fewer than two groups of `minGroupSize` rows. */
export function fairnessSource(services: Services): MetricSource {
  return {
    metrics: FAIRNESS_ALERT_METRICS,
    async value(rule, from, to) {
      const options: AlertRuleOptions = rule.options ?? {};
      const endpoint = await services.store.getEndpoint(rule.endpointId);
      if (options.column === undefined || !isFairnessMetric(rule.metric) || !endpoint) {
        return { value: null, samples: 0 };
      }
      try {
        const fairness = await endpointFairness(services, endpoint, {
          column: options.column,
          from: from.toISOString(),
          to: to.toISOString(),
          positiveClass: options.positiveClass,
          minGroupSize: options.minGroupSize,
        });
        // One column: one table, the column's own.
        const disparity = fairness.tables[0]?.disparity;
        const value = disparity === undefined || disparity.groups < 2 ? null : disparity[DISPARITY_OF[rule.metric]];
        return { value, samples: fairness.overall.count };
      } catch (error) {
        if (error instanceof ModelyardError && NO_DATA.has(error.code)) return { value: null, samples: 0 };
        throw error;
      }
    },
  };
}
