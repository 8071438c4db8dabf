import { describe, it, expect } from 'vitest';
import { balancedAccuracy } from './balanced-accuracy.js';
import { calibrationCurve } from './calibration-curve.js';
import { confusionMatrix } from './confusion-matrix.js';
import { f1 } from './f1.js';
import { multiclassLogLoss } from './multiclass-log-loss.js';
import { precision } from './precision.js';
import { recall } from './recall.js';
import { rocAucOvr } from './roc-auc-ovr.js';
import { rocAuc } from './roc-auc.js';

const code = (c: string) => expect.objectContaining({ name: 'EngineError', code: c });

describe('binary precision, recall, F1, balanced accuracy by hand', () => {
  // Thresholded: [1, 0, 1, 0, 0, 1] against truths [1, 1, 0, 0, 0, 1]: TP 2, FP 1, FN 1, TN 2.
  const y = [1, 1, 0, 0, 0, 1];
  const p = [0.9, 0.5, 0.7, 0.2, 0.1, 0.51];

  it('thresholds probabilities above 0.5 and labels alike', () => {
    expect(precision(y, p)).toBeCloseTo(2 / 3, 15);
    expect(recall(y, p)).toBeCloseTo(2 / 3, 15);
    expect(f1(y, p)).toBeCloseTo(2 / 3, 15);
    expect(balancedAccuracy(y, p)).toBeCloseTo((2 / 3 + 2 / 3) / 2, 15);
    expect(precision(y, [1, 0, 1, 0, 0, 1])).toBe(precision(y, p));
  });

  it('answers 0 where scikit-learn warns about a zero division', () => {
    expect(precision([0, 1], [0.1, 0.2])).toBe(0);
    expect(recall([0, 0], [0.9, 0.2])).toBe(0);
    expect(f1([0, 0], [0.1, 0.2])).toBe(0);
  });

  it('rejects truths other than 0/1 in binary mode, and non-codes in multiclass mode', () => {
    expect(() => precision([0, 2], [0.1, 0.9])).toThrowError(code('invalid_input'));
    expect(() => f1([0, 1], [0.5, 1.5], { average: 'macro' })).toThrowError(code('invalid_input'));
    expect(() => recall([0, -1], [0, 1], { average: 'micro' })).toThrowError(code('invalid_input'));
    expect(() => recall([0, 3], [0, 1], { average: 'macro', nClasses: 3 })).toThrowError(code('invalid_input'));
    expect(() => precision([], [])).toThrowError(code('undefined_metric'));
  });
});

describe('multiclass averages by hand', () => {
  const y = Int32Array.from([0, 0, 1, 1, 2, 2, 2]);
  const p = Int32Array.from([0, 1, 1, 1, 2, 0, 2]);
  // Per class: precision [1/2, 2/3, 1], recall [1/2, 1, 2/3], support [2, 2, 3].

  it('macro, weighted and micro', () => {
    expect(precision(y, p, { average: 'macro' })).toBeCloseTo((1 / 2 + 2 / 3 + 1) / 3, 15);
    expect(recall(y, p, { average: 'weighted' })).toBeCloseTo((2 * 0.5 + 2 * 1 + 3 * (2 / 3)) / 7, 15);
    expect(f1(y, p, { average: 'macro' })).toBeCloseTo((0.5 + 0.8 + 0.8) / 3, 15);
    // Single-label input: micro precision = recall = F1 = accuracy.
    for (const metric of [precision, recall, f1]) expect(metric(y, p, { average: 'micro' })).toBeCloseTo(5 / 7, 15);
    expect(balancedAccuracy(y, p, { multiclass: true })).toBeCloseTo((1 / 2 + 1 + 2 / 3) / 3, 15);
  });

  it('counts an absent class as 0 only when nClasses lists it', () => {
    const macro = precision(y, p, { average: 'macro' });
    expect(precision(y, p, { average: 'macro', nClasses: 4 })).toBeCloseTo((macro * 3) / 4, 15);
  });
});

describe('confusionMatrix', () => {
  it('puts true classes in rows and predictions in columns', () => {
    const { nClasses, counts } = confusionMatrix(Int32Array.from([0, 0, 1, 2]), Int32Array.from([0, 2, 1, 2]), 3);
    expect(nClasses).toBe(3);
    expect(Array.from(counts)).toEqual([1, 0, 1, 0, 1, 0, 0, 0, 1]);
  });

  it('rejects codes outside the classes and a bad class count', () => {
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrowError(code('invalid_input'));
    expect(() => confusionMatrix([0], [0], 0)).toThrowError(code('invalid_param'));
    expect(() => confusionMatrix([0], [0, 1], 2)).toThrowError(code('length_mismatch'));
    expect(Array.from(confusionMatrix([], [], 2).counts)).toEqual([0, 0, 0, 0]);
  });
});

describe('calibrationCurve', () => {
  it('drops empty bins and sends a probability on an inner edge to the lower bin', () => {
    const curve = calibrationCurve([0, 1, 1, 0, 1], [0.1, 0.5, 0.9, 0.2, 0.95], { nBins: 2 });
    expect(Array.from(curve.probTrue)).toEqual([1 / 3, 1]);
    expect(Array.from(curve.probPred)).toEqual([(0.1 + 0.5 + 0.2) / 3, (0.9 + 0.95) / 2]);
    expect(calibrationCurve([0, 1], [0.1, 0.15], { nBins: 10 }).probTrue.length).toBe(2);
  });

  it('validates its inputs', () => {
    expect(() => calibrationCurve([0, 1], [0.1, 1.2])).toThrowError(code('invalid_input'));
    expect(() => calibrationCurve([0, 1], [0.1, 0.2], { nBins: 0 })).toThrowError(code('invalid_param'));
    expect(() => calibrationCurve([0, 1], [0.1, 0.2], { strategy: 'kmeans' as unknown as 'uniform' })).toThrowError(
      code('invalid_param'),
    );
  });
});

describe('multiclass probability metrics', () => {
  const y = Int32Array.from([0, 1, 2, 1]);
  const probs = Float64Array.from([0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.2, 0.2, 0.6, 0.3, 0.4, 0.3]);

  it('multiclassLogLoss is the mean negative log of the true class probability', () => {
    const expected = -(Math.log(0.7) + Math.log(0.8) + Math.log(0.6) + Math.log(0.4)) / 4;
    expect(multiclassLogLoss(y, probs, 3)).toBeCloseTo(expected, 14);
  });

  it('rocAucOvr averages one-vs-rest AUCs and equals the binary AUC for two classes', () => {
    expect(rocAucOvr(y, probs, 3)).toBe(1);
    const yb = [0, 1, 1, 0];
    const pb = [0.3, 0.6, 0.4, 0.4];
    expect(
      rocAucOvr(
        yb,
        pb.flatMap((q) => [1 - q, q]),
        2,
      ),
    ).toBeCloseTo(rocAuc(yb, pb), 15);
  });

  it('rejects a wrong matrix size, bad codes and bad k', () => {
    expect(() => multiclassLogLoss(y, probs.subarray(1), 3)).toThrowError(code('length_mismatch'));
    expect(() => rocAucOvr(Int32Array.from([0, 3, 1, 2]), probs, 3)).toThrowError(code('invalid_input'));
    expect(() => multiclassLogLoss(y, probs, 1)).toThrowError(code('invalid_param'));
    expect(() => rocAucOvr([], [], 3)).toThrowError(code('undefined_metric'));
  });
});
