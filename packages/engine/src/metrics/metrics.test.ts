import { describe, it, expect } from 'vitest';
import { accuracy } from './accuracy.js';
import { logLoss } from './log-loss.js';
import { mae } from './mae.js';
import { prAuc } from './pr-auc.js';
import { r2 } from './r2.js';
import { rmse } from './rmse.js';
import { rocAuc } from './roc-auc.js';

describe('metrics by hand', () => {
  it('rocAuc counts ties as half and is undefined for one class', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.75, 15);
    expect(rocAuc([0, 1], [0.5, 0.5])).toBe(0.5);
    expect(() => rocAuc([1, 1], [0.2, 0.3])).toThrowError(expect.objectContaining({ code: 'undefined_metric' }));
  });

  it('prAuc is average precision (step function)', () => {
    // Ranked: 0.8 (1), 0.4 (0), 0.35 (1), 0.1 (0): AP = 0.5*1 + 0.5*(2/3).
    expect(prAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.5 + 1 / 3, 15);
    // scikit-learn warns and returns -0 when there are no positives.
    expect(prAuc([0, 0], [0.1, 0.2])).toBe(0);
  });

  it('logLoss clips probabilities of 0 and 1', () => {
    expect(logLoss([1, 0], [0.5, 0.5])).toBeCloseTo(Math.LN2, 15);
    expect(Number.isFinite(logLoss([1], [0]))).toBe(true);
  });

  it('accuracy sends 0.5 to class 0', () => {
    expect(accuracy([0, 1, 1, 0], [0.5, 0.51, 0.2, 0.1])).toBe(0.75);
  });

  it('regression metrics', () => {
    expect(rmse([1, 2, 3], [1, 2, 5])).toBeCloseTo(Math.sqrt(4 / 3), 15);
    expect(mae([1, 2, 3], [1, 2, 5])).toBeCloseTo(2 / 3, 15);
    expect(r2([1, 2, 3], [1, 2, 3])).toBe(1);
    expect(r2([2, 2], [2, 2])).toBe(1);
    expect(r2([2, 2], [1, 2])).toBe(0);
  });

  it('rejects vectors of different length, empty vectors, NaN and non-binary truths', () => {
    expect(() => rmse([1], [1, 2])).toThrowError(expect.objectContaining({ code: 'length_mismatch' }));
    for (const metric of [rocAuc, prAuc, logLoss, accuracy, rmse, mae, r2]) {
      expect(() => metric([], [])).toThrowError(expect.objectContaining({ code: 'undefined_metric' }));
      expect(() => metric([0, 1], [0.5, Number.NaN])).toThrowError(expect.objectContaining({ code: 'invalid_input' }));
      expect(() => metric([Number.NaN, 1], [0.5, 0.2])).toThrowError(
        expect.objectContaining({ code: 'invalid_input' }),
      );
    }
    for (const metric of [rocAuc, prAuc, logLoss, accuracy]) {
      expect(() => metric([0, 2], [0.5, 0.2])).toThrowError(expect.objectContaining({ code: 'invalid_input' }));
    }
    expect(() => r2([1], [1])).toThrowError(expect.objectContaining({ code: 'undefined_metric' }));
  });
});
