// Stacked ensembles: CV against their bases, the artifact format (round trip, checks) and scoring parity.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FeatureRecord } from '../artifact/feature-record.js';
import type { LinearGlmModel, ModelArtifact, StackedArtifact } from '../artifact/model-artifact.js';
import { parseArtifact } from '../artifact/parse-artifact.js';
import { predictFrame } from '../artifact/predict-frame.js';
import { predictRecords } from '../artifact/predict-records.js';
import { validateRecords } from '../artifact/validate-records.js';
import { EngineError } from '../errors.js';
import { trainForestModel } from '../forest/train-forest-model.js';
import type { Frame } from '../frame/frame.js';
import { trainGbdtModel } from '../gbdt/train-gbdt-model.js';
import { trainGlmModel } from '../glm/train-glm-model.js';
import * as scorer from '../scorer.js';
import { csvFrame } from '../test-support/csv-frame.js';
import { syntheticClassification, syntheticRegression } from '../test-support/synthetic.js';
import { crossValidate } from './cross-validate.js';
import { crossValidateMeta } from './cross-validate-meta.js';
import { trainStackedEnsemble } from './stacked-ensemble.js';

const credit = csvFrame(readFileSync(new URL('../../../../examples/data/credit_data.csv', import.meta.url), 'utf8'));
// The first 1500 rows keep the three cross-validations near a second.
const frame = credit.take(Int32Array.from({ length: 1500 }, (_, i) => i));
const status = { target: 'Status', task: 'classification' as const };
const cvs = [
  crossValidate(frame, trainGlmModel, status, { k: 5, seed: 1 }),
  crossValidate(frame, trainGbdtModel, { ...status, params: { nTrees: 50, maxDepth: 4 } }, { k: 5, seed: 1 }),
  crossValidate(frame, trainForestModel, { ...status, params: { nTrees: 30, minSamplesLeaf: 5 } }, { k: 5, seed: 1 }),
];
const bases = cvs.map((cv) => ({ artifact: cv.artifact, oof: cv }));
const stack = crossValidateMeta(frame, bases, status);

/** Frame rows as JSON records, as a client would send them. */
function records(data: Frame, n: number, names = data.names): FeatureRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const record: FeatureRecord = {};
    for (const name of names) {
      const c = data.column(name);
      if (c.kind === 'number') record[name] = Number.isNaN(c.values[i]!) ? null : c.values[i]!;
      else record[name] = c.codes[i]! < 0 ? null : c.dictionary[c.codes[i]!]!;
    }
    return record;
  });
}

function failure(run: () => unknown): EngineError {
  try {
    run();
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error('expected an EngineError');
}

describe('stacked ensemble of GLM + GBDT + forest on credit_data.csv (1500 rows, 5 folds)', () => {
  it('scores at least as well as the best base on CV AUC (fold mean and pooled OOF)', () => {
    // Measured: GLM 0.807, GBDT 0.816, forest 0.825, stacked 0.835 (mean fold AUC).
    const best = Math.max(...cvs.map((cv) => cv.mean.auc!));
    expect(stack.mean.auc!).toBeGreaterThanOrEqual(best);
    expect(stack.oofMetrics.auc!).toBeGreaterThanOrEqual(Math.max(...cvs.map((cv) => cv.oofMetrics.auc!)));
    expect(stack.std.auc!).toBeGreaterThan(0);
    expect(stack.foldMetrics).toHaveLength(5);
    expect(stack.folds).toBe(cvs[0]!.folds);
  });

  it('keeps only non-negative meta weights, listing the bases it left out', () => {
    const artifact = stack.artifact;
    const weights = (artifact.model.meta.model as LinearGlmModel).coefficients;
    expect(weights.every((w) => w >= 0)).toBe(true);
    expect(artifact.model.bases.length + artifact.metadata.droppedBases.length).toBe(3);
    expect(artifact.model.meta.features.map((f) => f.name)).toEqual(artifact.model.bases.map((_, i) => `base${i}`));
  });

  it('round-trips through JSON and parseArtifact, scoring the same bits', () => {
    const copy = parseArtifact(JSON.parse(JSON.stringify(stack.artifact)));
    expect(copy).toEqual(stack.artifact);
    expect(Array.from(predictFrame(copy, frame))).toEqual(Array.from(predictFrame(stack.artifact, frame)));
  });

  it('predictFrame, predictRecords and the scorer entry agree bit for bit', () => {
    const rows = frame.take(Int32Array.from({ length: 200 }, (_, i) => i));
    const batch = predictFrame(stack.artifact, rows);
    const asRecords = records(rows, 200);
    const one = predictRecords(stack.artifact, asRecords).map((p) =>
      'probabilities' in p ? p.probabilities.good : NaN,
    );
    const viaScorer = scorer.predictRecords(
      scorer.parseArtifact(JSON.parse(JSON.stringify(stack.artifact))),
      asRecords,
    );
    expect(one).toEqual(Array.from(batch));
    expect(viaScorer.map((p) => ('probabilities' in p ? p.probabilities.good : NaN))).toEqual(Array.from(batch));
    expect(Array.from(scorer.predictFrame(stack.artifact, rows))).toEqual(Array.from(batch));
    // The meta GLM really reads the bases: scoring it by hand on their predictions gives the same values.
    const meta = stack.artifact.model.meta;
    const byHand = predictFrame(
      meta,
      scorer.Frame.fromColumns(
        stack.artifact.model.bases.map((b, i) => ({ kind: 'number', name: `base${i}`, values: predictFrame(b, rows) })),
      ),
    );
    expect(Array.from(byHand)).toEqual(Array.from(batch));
  });
});

describe('stacked ensemble: schema, multiclass and regression', () => {
  const data = syntheticClassification(240, 9);
  const y = { target: 'y', task: 'classification' as const };
  const glm = crossValidate(data, trainGlmModel, { ...y, features: ['x1'] }, { k: 3 });
  const forest = crossValidate(
    data,
    trainForestModel,
    { ...y, features: ['x2', 'color'], params: { nTrees: 10 } },
    { k: 3 },
  );
  const pair = [glm, forest].map((cv) => ({ artifact: cv.artifact, oof: cv }));
  const union = trainStackedEnsemble(data, pair, { ...y, nonNegative: false });

  it("validateRecords checks the union of the bases' inputs", () => {
    expect(union.features.map((f) => f.name)).toEqual(['x1', 'x2', 'color']);
    expect(validateRecords(union, [{ x1: 1, color: 'red', k: 3 }])).toEqual([
      { row: 0, field: 'x2', problem: 'missing' },
      { row: 0, field: 'k', problem: 'unexpected' },
    ]);
    expect(validateRecords(union, [{ x1: 1, x2: 'many', color: 'red', y: 'no' }])).toEqual([
      { row: 0, field: 'x2', problem: 'wrong_type', expected: 'number' },
    ]);
    expect(failure(() => predictRecords(union, [{ x1: 1, color: 'red' }])).code).toBe('invalid_records');
  });

  it('drops a base the meta GLM weighs negatively, unless told not to', () => {
    // A base whose out-of-fold probabilities are reversed is informative with a negative weight.
    const reversed = { ...forest, oof: forest.oof.map((p) => 1 - p) };
    const bases = [pair[0]!, { artifact: forest.artifact, oof: reversed }];
    const free = trainStackedEnsemble(data, bases, { ...y, nonNegative: false });
    expect((free.model.meta.model as LinearGlmModel).coefficients[1]!).toBeLessThan(0);
    const constrained = trainStackedEnsemble(data, bases, y);
    expect(constrained.model.bases).toEqual([glm.artifact]);
    expect(constrained.metadata.droppedBases).toEqual([
      { index: 1, algorithm: 'forest', reason: 'negative meta weight' },
    ]);
    expect(constrained.features.map((f) => f.name)).toEqual(['x1']);
  });

  it('multiclass: one meta feature per base and class, probabilities per class, record parity', () => {
    const options = { target: 'color', task: 'classification' as const, features: ['x1', 'x2', 'y'] };
    const three = [
      crossValidate(data, trainGlmModel, options, { k: 3 }),
      crossValidate(data, trainGbdtModel, { ...options, params: { nTrees: 5 } }, { k: 3 }),
    ];
    const ensemble = crossValidateMeta(
      data,
      three.map((cv) => ({ artifact: cv.artifact, oof: cv })),
      options,
    );
    const artifact = ensemble.artifact;
    expect(artifact.classes).toEqual(['blue', 'green', 'red']);
    expect(artifact.model.meta.features.map((f) => f.name)).toEqual([
      'base0:blue',
      'base0:green',
      'base0:red',
      'base1:blue',
      'base1:green',
      'base1:red',
    ]);
    expect(Object.keys(ensemble.mean).sort()).toEqual(['accuracy', 'auc_ovr', 'logloss']);
    const batch = predictFrame(artifact, data);
    expect(batch).toHaveLength(240 * 3);
    const byRecord = predictRecords(artifact, records(data, 240, ['x1', 'x2', 'y', 'color'])).flatMap((p) =>
      'probabilities' in p ? ['blue', 'green', 'red'].map((c) => p.probabilities[c]!) : [],
    );
    expect(byRecord).toEqual(Array.from(batch));
  });

  it('regression: the meta GLM on the bases’ predictions, record parity, a CV estimate', () => {
    const reg = syntheticRegression(200, 6);
    const options = { target: 'price', task: 'regression' as const };
    const two = [
      crossValidate(reg, trainGlmModel, options, { k: 4 }),
      crossValidate(reg, trainForestModel, { ...options, params: { nTrees: 10 } }, { k: 4 }),
    ];
    const ensemble = crossValidateMeta(
      reg,
      two.map((cv) => ({ artifact: cv.artifact, oof: cv })),
      options,
    );
    expect(Object.keys(ensemble.std).sort()).toEqual(['mae', 'r2', 'rmse']);
    // The data are linear: the ensemble does about as well as the GLM (measured within 1%).
    expect(ensemble.mean.rmse!).toBeLessThan(two[0]!.mean.rmse! * 1.05);
    const batch = predictFrame(ensemble.artifact, reg);
    const byRecord = predictRecords(ensemble.artifact, records(reg, 200)).map((p) => ('value' in p ? p.value : NaN));
    expect(byRecord).toEqual(Array.from(batch));
  });

  it('parseArtifact checks the stacked structure, naming the path of the first problem', () => {
    const json = JSON.parse(JSON.stringify(union)) as StackedArtifact;
    const bad = (edit: (a: Record<string, unknown> & StackedArtifact) => void): string => {
      const copy = JSON.parse(JSON.stringify(json)) as Record<string, unknown> & StackedArtifact;
      edit(copy);
      const error = failure(() => parseArtifact(copy));
      expect(error.code).toBe('invalid_artifact');
      return String(error.details?.path);
    };
    expect(bad((a) => ((a as { formatVersion: number }).formatVersion = 1))).toBe('formatVersion');
    expect(bad((a) => ((a.model.bases[0] as { target: string }).target = 'other'))).toBe('model.bases[0].target');
    expect(bad((a) => (a.model.bases[1]!.model as { trees: unknown[] }).trees.push({}))).toMatch(
      /^model\.bases\[1\]\.model\.trees\[\d+\]/,
    );
    expect(bad((a) => a.features.reverse())).toBe('features');
    expect(bad((a) => (a.model.meta.features[0]!.name = 'x1'))).toMatch(/^model\.meta\./);
    expect(bad((a) => (a.model.meta = a.model.bases[1] as never))).toMatch(/^model\.meta/);
    expect(bad((a) => (a.preprocessing.encodings = [{ name: 'x1', type: 'category', categories: [] }]))).toBe(
      'preprocessing',
    );
    // A single model must stay at version 1; version 2 is for stacked models.
    const glmArtifact = JSON.parse(JSON.stringify(glm.artifact)) as ModelArtifact & { formatVersion: number };
    glmArtifact.formatVersion = 2;
    const error = failure(() => parseArtifact(glmArtifact));
    expect(error.details?.path).toBe('formatVersion');
    expect(error.message).toMatch(/stacked model only/);
  });

  it('refuses bases cross-validated on other rows or predicting another target (invalid_param)', () => {
    const fewer = data.take(Int32Array.from({ length: 200 }, (_, i) => i));
    expect(failure(() => trainStackedEnsemble(fewer, pair, y)).code).toBe('invalid_param');
    const wrong = { artifact: { ...glm.artifact, target: 'x' }, oof: glm };
    expect(failure(() => trainStackedEnsemble(data, [wrong], y)).message).toMatch(/predicts "x"/);
    expect(failure(() => trainStackedEnsemble(data, [], y)).code).toBe('invalid_param');
  });
});
