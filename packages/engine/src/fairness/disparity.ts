// Disparity between groups, as fairlearn defines it: demographic parity and equal opportunity as the ratio
// min / max and the difference max − min of the groups' selection rates and true positive rates, and the
// equalized-odds difference, the larger of the TPR and FPR differences.
import type { GroupMetrics } from './group-metrics.js';

export interface Disparity {
  /** Groups compared: those with at least `minGroupSize` rows. */
  groups: number;
  demographicParityRatio: number | null;
  demographicParityDifference: number | null;
  /** Classification only. */
  equalOpportunityRatio: number | null;
  equalOpportunityDifference: number | null;
  equalizedOddsDifference: number | null;
}

/**
 * Null where fewer than two groups are compared (fairlearn would answer 0 and 1 for one group), and a ratio whose
 * largest rate is 0 (or, for regression's mean predictions, whose smallest is negative) is null.
 */
export function disparity(compared: GroupMetrics[]): Disparity {
  const spread = (pick: (g: GroupMetrics) => number | null) => {
    const values = compared.map(pick).filter((v): v is number => v !== null);
    if (compared.length < 2 || values.length < 2) return { ratio: null, difference: null };
    const min = Math.min(...values);
    const max = Math.max(...values);
    return { ratio: max > 0 && min >= 0 ? min / max : null, difference: max - min };
  };
  const selection = spread((g) => g.selectionRate);
  const tpr = spread((g) => g.truePositiveRate);
  const fpr = spread((g) => g.falsePositiveRate);
  return {
    groups: compared.length,
    demographicParityRatio: selection.ratio,
    demographicParityDifference: selection.difference,
    equalOpportunityRatio: tpr.ratio,
    equalOpportunityDifference: tpr.difference,
    equalizedOddsDifference:
      tpr.difference === null || fpr.difference === null ? null : Math.max(tpr.difference, fpr.difference),
  };
}
