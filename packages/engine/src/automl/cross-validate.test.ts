// crossValidate against fold models trained and scored by hand, and its bookkeeping (folds, OOF, summary, final model).
import { describe, expect, it } from 'vitest';
import { predictFrame } from '../artifact/predict-frame.js';
import { EngineError } from '../errors.js';
import { trainForestModel } from '../forest/train-forest-model.js';
import type { Frame } from '../frame/frame.js';
import { Frame as FrameClass } from '../frame/frame.js';
import { trainGbdtModel } from '../gbdt/train-gbdt-model.js';
import { trainGlmModel } from '../glm/train-glm-model.js';
import { accuracy, logLoss, mae, prAuc, r2, rmse, rocAuc } from '../metrics/index.js';
import { multiclassLogLoss } from '../metrics/multiclass-log-loss.js';
import { rocAucOvr } from '../metrics/roc-auc-ovr.js';
import { syntheticClassification, syntheticRegression } from '../test-support/synthetic.js';
import { crossValidate } from './cross-validate.js';
import { summariseFolds } from './fold-metrics.js';

const binary = syntheticClassification(300, 3);
const gbdtOptions = { target: 'y', task: 'classification' as const, params: { nTrees: 10, maxDepth: 3 } };

/** Frame rows of fold positions. */
const frameRows = (rows: Int32Array, positions: Int32Array) => Int32Array.from(positions, (p) => rows[p]!);

describe('crossValidate: binary GBDT on synthetic data', () => {
  const cv = crossValidate(binary, trainGbdtModel, gbdtOptions, { k: 4, seed: 7 });

  it('reports per fold what training on the other folds and scoring the fold by hand gives', () => {
    expect(cv.k).toBe(4);
    expect(cv.folds).toHaveLength(4);
    expect(cv.classes).toEqual(['no', 'yes']);
    expect(cv.outputs).toBe(1);
    cv.folds.forEach((fold, f) => {
      const model = trainGbdtModel(binary.take(frameRows(cv.rows, fold.train)), {
        ...gbdtOptions,
        params: { ...gbdtOptions.params, testFraction: 0 },
      }).artifact;
      const held = binary.take(frameRows(cv.rows, fold.test));
      const p = predictFrame(model, held);
      const y = Float64Array.from(fold.test, (i) => cv.y[i]!);
      expect(cv.foldMetrics[f]).toEqual({
        auc: rocAuc(y, p),
        pr_auc: prAuc(y, p),
        logloss: logLoss(y, p),
        accuracy: accuracy(y, p),
      });
      // The row's OOF value is the prediction of the model that did not see it, bit for bit.
      expect(Array.from(fold.test, (i) => cv.oof[i]!)).toEqual(Array.from(p));
    });
  });

  it('covers every row with a target once, and the OOF metrics are the metrics of all OOF predictions', () => {
    expect(Array.from(cv.rows)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    const tested = cv.folds.flatMap((f) => Array.from(f.test)).sort((a, b) => a - b);
    expect(tested).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(cv.oofMetrics.auc).toBe(rocAuc(cv.y, cv.oof));
    expect(cv.oofMetrics.logloss).toBe(logLoss(cv.y, cv.oof));
  });

  it('summarises the folds with the mean and the sample standard deviation', () => {
    for (const name of ['auc', 'pr_auc', 'logloss', 'accuracy']) {
      const xs = cv.foldMetrics.map((m) => m[name]!);
      // Independent: the one-pass textbook formula sqrt((sum x^2 - k mean^2) / (k - 1)).
      const sum = xs.reduce((a, b) => a + b, 0);
      const squares = xs.reduce((a, b) => a + b * b, 0);
      const mean = sum / xs.length;
      expect(cv.mean[name]).toBeCloseTo(mean, 14);
      expect(cv.std[name]).toBeCloseTo(Math.sqrt((squares - xs.length * mean * mean) / (xs.length - 1)), 12);
    }
  });

  it('keeps each class share per fold within one row of k-th of the class (stratified)', () => {
    const positives = cv.y.reduce((a, b) => a + b, 0);
    for (const fold of cv.folds) {
      const inFold = fold.test.reduce((a, i) => a + cv.y[i]!, 0);
      expect([Math.floor(positives / 4), Math.ceil(positives / 4)]).toContain(inFold);
      expect([75]).toContain(fold.test.length);
    }
  });

  it('trains the final model exactly as a plain training on every row with the same params', () => {
    const plain = trainGbdtModel(binary, { ...gbdtOptions, params: { ...gbdtOptions.params, testFraction: 0 } });
    expect(JSON.stringify(cv.artifact)).toBe(JSON.stringify(plain.artifact));
    expect(cv.artifact.metadata.trainRows).toBe(300);
    expect(cv.artifact.metadata.testRows).toBe(0);
  });

  it('is deterministic per seed, and another seed gives other folds', () => {
    const again = crossValidate(binary, trainGbdtModel, gbdtOptions, { k: 4, seed: 7 });
    expect(again.folds).toEqual(cv.folds);
    expect(again.foldMetrics).toEqual(cv.foldMetrics);
    expect(Array.from(again.oof)).toEqual(Array.from(cv.oof));
    const other = crossValidate(binary, trainGbdtModel, gbdtOptions, { k: 4, seed: 8 });
    expect(other.folds).not.toEqual(cv.folds);
  });
});

describe('crossValidate: summary reference values', () => {
  it('matches numpy: mean([1, 2, 4]) = 7/3, std(ddof=1) = sqrt(7/3)', () => {
    const { mean, std } = summariseFolds([{ a: 1, b: 5 }, { a: 2, b: 5 }, { a: 4 }]);
    expect(mean.a).toBeCloseTo(7 / 3, 15);
    expect(std.a).toBeCloseTo(1.5275252316519468, 15);
    // A metric missing from a fold is left out of the summary.
    expect(mean.b).toBeUndefined();
  });
});

describe('crossValidate: other tasks and trainers', () => {
  it('drops rows whose target is missing, as the trainers do, and keeps frame row numbers', () => {
    const column = binary.column('y');
    if (column.kind !== 'category') throw new Error('y is a category');
    const codes = Int32Array.from(column.codes, (c, i) => (i % 10 === 3 ? -1 : c));
    const holed = FrameClass.fromColumns([
      ...binary.names.filter((n) => n !== 'y').map((n) => binary.column(n)),
      { ...column, codes },
    ]);
    const cv = crossValidate(holed, trainGlmModel, { target: 'y', task: 'classification' }, { k: 3 });
    expect(cv.rows).toHaveLength(270);
    expect(Array.from(cv.rows).some((r) => r % 10 === 3)).toBe(false);
    expect(cv.oof).toHaveLength(270);
    expect(cv.artifact.metadata.trainRows).toBe(270);
    // Default fold seed: the trainer's seed (42).
    expect(cv.seed).toBe(42);
  });

  it('regression with a forest: unstratified folds, OOF values, regression metrics', () => {
    const data = syntheticRegression(200, 4);
    const options = { target: 'price', task: 'regression' as const, params: { nTrees: 5, minSamplesLeaf: 3 } };
    const cv = crossValidate(data, trainForestModel, options, { k: 3, seed: 1 });
    expect(cv.classes).toBeUndefined();
    expect(cv.folds.map((f) => f.test.length)).toEqual([67, 67, 66]);
    const fold = cv.folds[2]!;
    const model = trainForestModel(data.take(frameRows(cv.rows, fold.train)), {
      ...options,
      params: { ...options.params, testFraction: 0 },
    }).artifact;
    const p = predictFrame(model, data.take(frameRows(cv.rows, fold.test)));
    const y = Float64Array.from(fold.test, (i) => cv.y[i]!);
    expect(cv.foldMetrics[2]).toEqual({ rmse: rmse(y, p), mae: mae(y, p), r2: r2(y, p) });
    expect(Array.from(fold.test, (i) => cv.oof[i]!)).toEqual(Array.from(p));
  });

  it('multiclass GLM: one probability per class in class order, multiclass metrics', () => {
    // `color` has three classes (and missing values, which are dropped).
    const cv = crossValidate(
      binary,
      trainGlmModel,
      { target: 'color', task: 'classification', features: ['x1', 'x2', 'y'] },
      { k: 3 },
    );
    expect(cv.classes).toEqual(['blue', 'green', 'red']);
    expect(cv.outputs).toBe(3);
    expect(cv.oof).toHaveLength(cv.rows.length * 3);
    for (let i = 0; i < cv.rows.length; i++) {
      expect(cv.oof[3 * i]! + cv.oof[3 * i + 1]! + cv.oof[3 * i + 2]!).toBeCloseTo(1, 12);
    }
    const fold = cv.folds[0]!;
    const p = Float64Array.from(
      fold.test.length * 3 === 0
        ? []
        : Array.from({ length: fold.test.length * 3 }, (_, j) => cv.oof[fold.test[Math.floor(j / 3)]! * 3 + (j % 3)]!),
    );
    const y = Float64Array.from(fold.test, (i) => cv.y[i]!);
    expect(cv.foldMetrics[0]!.logloss).toBe(multiclassLogLoss(y, p, 3));
    expect(cv.foldMetrics[0]!.auc_ovr).toBe(rocAucOvr(y, p, 3));
  });

  it('reports progress strictly increasing up to 1 over the k + 1 trainings', () => {
    const seen: number[] = [];
    crossValidate(
      binary,
      trainGlmModel,
      { target: 'y', task: 'classification', onProgress: (f) => seen.push(f) },
      { k: 2 },
    );
    expect(seen.at(-1)).toBe(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThan(seen[i - 1]!);
    expect(seen.filter((f) => f === 1 / 3 || f === 2 / 3)).toHaveLength(2);
  });

  it("passes a caller's testFraction through: an inner holdout in every training", () => {
    const cv = crossValidate(
      binary,
      trainGlmModel,
      { target: 'y', task: 'classification', params: { testFraction: 0.25 } },
      { k: 2 },
    );
    const plain = trainGlmModel(binary, { target: 'y', task: 'classification', params: { testFraction: 0.25 } });
    expect(cv.artifact.metadata.testRows).toBeGreaterThan(70);
    expect(cv.artifact).toEqual(plain.artifact);
  });

  it('refuses a class too rare for every fold model to see it (unseen_class)', () => {
    const column = binary.column('y');
    if (column.kind !== 'category') throw new Error('y is a category');
    const codes = Int32Array.from(column.codes, (c, i) => (i === 5 ? 2 : c));
    const rare: Frame = FrameClass.fromColumns([
      ...binary.names.filter((n) => n !== 'y').map((n) => binary.column(n)),
      { ...column, codes, dictionary: ['no', 'yes', 'maybe'] },
    ]);
    let error: unknown;
    try {
      crossValidate(rare, trainGlmModel, { target: 'y', task: 'classification' }, { k: 3 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('unseen_class');
    expect((error as EngineError).details).toMatchObject({ classes: ['maybe'] });
  });
});
