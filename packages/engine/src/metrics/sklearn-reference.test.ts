import { describe, it, expect } from 'vitest';
import { accuracy } from './accuracy.js';
import { logLoss } from './log-loss.js';
import { mae } from './mae.js';
import { prAuc } from './pr-auc.js';
import { r2 } from './r2.js';
import { rmse } from './rmse.js';
import { rocAuc } from './roc-auc.js';
import reference from './__fixtures__/sklearn-metrics.json' with { type: 'json' };

// Scores rounded to 1-3 decimals so many tie; probabilities stay inside [0.001, 0.999], away from any clipping.
const TOLERANCE = 1e-12;

describe('classification metrics vs scikit-learn', () => {
  reference.classification.forEach((c, i) => {
    it(`case ${i} (${c.yTrue.length} rows)`, () => {
      expect(rocAuc(c.yTrue, c.yPred)).toBeCloseTo(c.roc_auc, -Math.log10(TOLERANCE));
      expect(prAuc(c.yTrue, c.yPred)).toBeCloseTo(c.average_precision, -Math.log10(TOLERANCE));
      expect(logLoss(c.yTrue, c.yPred)).toBeCloseTo(c.log_loss, -Math.log10(TOLERANCE));
      expect(accuracy(c.yTrue, c.yPred)).toBe(c.accuracy);
    });
  });

  it('has ties in the reference scores', () => {
    const scores = reference.classification[0]!.yPred;
    expect(new Set(scores).size).toBeLessThan(scores.length / 5);
  });
});

describe('regression metrics vs scikit-learn', () => {
  reference.regression.forEach((c, i) => {
    it(`case ${i} (${c.yTrue.length} rows)`, () => {
      expect(rmse(c.yTrue, c.yPred)).toBeCloseTo(c.rmse, 10);
      expect(mae(c.yTrue, c.yPred)).toBeCloseTo(c.mae, 10);
      expect(r2(c.yTrue, c.yPred)).toBeCloseTo(c.r2, 12);
    });
  });
});
