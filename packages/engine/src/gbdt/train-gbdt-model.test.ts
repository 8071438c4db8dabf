import { describe, it, expect } from 'vitest';
import type { LooseJson } from '../test-support/loose-json.js';
import { Frame } from '../frame/frame.js';
import type { Column } from '../frame/column.js';
import type { GbdtArtifact } from '../artifact/model-artifact.js';
import { parseArtifact } from '../artifact/parse-artifact.js';
import { predictFrame } from '../artifact/predict-frame.js';
import { predictRecords } from '../artifact/predict-records.js';
import { validateRecords } from '../artifact/validate-records.js';
import { syntheticClassification, syntheticRegression } from '../test-support/synthetic.js';
import { seededRandom, shuffle } from '../validation/random.js';
import { trainGbdtModel } from './train-gbdt-model.js';

const num = (name: string, values: number[]): Column => ({ kind: 'number', name, values: Float64Array.from(values) });
const values = (predictions: ReturnType<typeof predictRecords>) =>
  predictions.map((p) => ('value' in p ? p.value : NaN));
const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};
const stump = { nTrees: 1, maxDepth: 1, learningRate: 1, testFraction: 0 };

describe('trainGbdtModel: exact small cases', () => {
  it('fits one split with the known leaf values -G/(H + lambda) around the mean', () => {
    const frame = Frame.fromColumns([num('x', [1, 2, 3, 4]), num('y', [0, 0, 10, 10])]);
    const { artifact } = trainGbdtModel(frame, { target: 'y', task: 'regression', params: stump });
    // base 5; gradients 5, 5, -5, -5 and hessians 1: left G = 10, H = 2 -> -10/3, right +10/3.
    expect(artifact.model.baseScore).toBe(5);
    const [tree] = artifact.model.trees;
    expect(tree).toEqual({
      feature: [0, -1, -1],
      threshold: [2.5, 0, 0],
      leftCategories: [[], [], []],
      defaultLeft: [true, true, true],
      left: [1, -1, -1],
      right: [2, -1, -1],
      value: [0, -10 / 3, 10 / 3],
      cover: [4, 2, 2],
    });
    expect(Array.from(predictFrame(artifact, frame))).toEqual([5 - 10 / 3, 5 - 10 / 3, 5 + 10 / 3, 5 + 10 / 3]);
  });

  it('applies the L1 soft threshold and the learning rate to leaf values', () => {
    const frame = Frame.fromColumns([num('x', [1, 2, 3, 4]), num('y', [0, 0, 10, 10])]);
    const params = { ...stump, alpha: 1, lambda: 2, learningRate: 0.5 };
    const { artifact } = trainGbdtModel(frame, { target: 'y', task: 'regression', params });
    // -(10 - 1) / (2 + 2) * 0.5 = -1.125
    expect(artifact.model.trees[0]!.value).toEqual([0, -1.125, 1.125]);
  });

  it('learns where missing values go', () => {
    // Missing rows look like the high rows: they should follow them right, and the other way round.
    const x = [1, 2, NaN, NaN, 3, 4];
    const high = Frame.fromColumns([num('x', x), num('y', [0, 0, 10, 10, 10, 10])]);
    const low = Frame.fromColumns([num('x', x), num('y', [0, 0, 0, 0, 10, 10])]);
    const right = trainGbdtModel(high, { target: 'y', task: 'regression', params: stump }).artifact;
    const left = trainGbdtModel(low, { target: 'y', task: 'regression', params: stump }).artifact;
    expect(right.model.trees[0]!.defaultLeft[0]).toBe(false);
    expect(left.model.trees[0]!.defaultLeft[0]).toBe(true);
    const [missingHigh, big] = values(predictRecords(right, [{ x: null }, { x: 4 }]));
    expect(missingHigh).toBe(big);
    const [missingLow, small] = values(predictRecords(left, [{ x: null }, { x: 1 }]));
    expect(missingLow).toBe(small);
  });

  it('can split missing against every value', () => {
    const frame = Frame.fromColumns([num('x', [1, 2, 3, NaN, NaN]), num('y', [0, 0, 0, 9, 9])]);
    const { artifact } = trainGbdtModel(frame, { target: 'y', task: 'regression', params: stump });
    const tree = artifact.model.trees[0]!;
    expect([tree.threshold[0], tree.defaultLeft[0]]).toEqual([Number.MAX_VALUE, false]);
    const [a, b] = values(predictRecords(artifact, [{ x: 1e300 }, { x: null }]));
    expect(b! - a!).toBeGreaterThan(5);
  });

  it('splits a category by sets of categories', () => {
    // a and c are high, b and d low: no ordering of the codes separates them, a category set does.
    const labels = ['a', 'b', 'c', 'd'];
    const codes = [0, 1, 2, 3, 0, 1, 2, 3];
    const frame = Frame.fromColumns([
      { kind: 'category', name: 'k', codes: Int32Array.from(codes), dictionary: labels },
      num('y', [10, 0, 10, 0, 10, 0, 10, 0]),
    ]);
    const { artifact } = trainGbdtModel(frame, { target: 'y', task: 'regression', params: stump });
    const tree = artifact.model.trees[0]!;
    // Sorted by gradient ratio, the high categories (negative gradients) come first and go left.
    expect(tree.leftCategories[0]).toEqual([0, 2]);
    const predictions = values(predictRecords(artifact, [{ k: 'a' }, { k: 'b' }, { k: 'c' }, { k: 'd' }]));
    expect(predictions).toEqual([5 + 20 / 5, 5 - 20 / 5, 5 + 20 / 5, 5 - 20 / 5]);
    // Unseen and missing categories follow the default direction.
    const [unseen, missing] = values(predictRecords(artifact, [{ k: 'zzz' }, { k: null }]));
    expect(unseen).toBe(missing);
  });

  it('handles a category with more levels than one byte holds', () => {
    const n = 1200;
    const dictionary = Array.from({ length: 400 }, (_, k) => `c${k}`);
    const codes = Int32Array.from({ length: n }, (_, i) => (i * 7) % 400);
    // Every third category is high: only a category set (or many ordinal cuts) can find them.
    const frame = Frame.fromColumns([
      { kind: 'category', name: 'k', codes, dictionary },
      num(
        'y',
        Array.from(codes, (c) => (c % 3 === 0 ? 10 : 0)),
      ),
    ]);
    const result = trainGbdtModel(frame, { target: 'y', task: 'regression', params: { ...stump, testFraction: 0.2 } });
    const tree = result.artifact.model.trees[0]!;
    const spec = result.artifact.features[0]!;
    if (spec.type !== 'category') throw new Error('k should be a category');
    expect(spec.categories.length).toBeGreaterThan(255);
    // The high categories seen in training (all of them there) go to one side, the low ones to the other.
    const left = new Set(tree.leftCategories[0]!.map((k) => spec.categories[k]!));
    const high = spec.categories.filter((c) => Number(c.slice(1)) % 3 === 0);
    expect(high.every((c) => left.has(c)) || high.every((c) => !left.has(c))).toBe(true);
    expect(left.size === high.length || left.size === spec.categories.length - high.length).toBe(true);
    const records = dictionary.slice(0, 30).map((k) => ({ k }));
    expect(values(predictRecords(result.artifact, records))).toEqual(
      Array.from(
        predictFrame(
          result.artifact,
          Frame.fromColumns([
            { kind: 'category', name: 'k', codes: Int32Array.from({ length: 30 }, (_, i) => i), dictionary },
          ]),
        ),
      ),
    );
  });

  it('respects minChildWeight, minSamplesLeaf and maxDepth', () => {
    const frame = Frame.fromColumns([num('x', [1, 2, 3, 4]), num('y', [0, 0, 10, 10])]);
    const fit = (params: object) =>
      trainGbdtModel(frame, { target: 'y', task: 'regression', params: { ...stump, ...params } }).artifact;
    expect(fit({ minChildWeight: 3 }).model.trees[0]!.feature).toEqual([-1]);
    expect(fit({ minSamplesLeaf: 3 }).model.trees[0]!.feature).toEqual([-1]);
    expect(fit({ maxDepth: 3 }).model.trees[0]!.feature.filter((f) => f >= 0)).toHaveLength(1);
  });
});

describe('trainGbdtModel: classification', () => {
  const frame = syntheticClassification(600);
  const result = trainGbdtModel(frame, { target: 'y', task: 'classification', params: { nTrees: 30 } });

  it('returns the artifact, holdout metrics and row counts', () => {
    expect(result.trainRows).toBe(480);
    expect(result.testRows).toBe(120);
    expect(Object.keys(result.metrics).sort()).toEqual(['accuracy', 'auc', 'logloss', 'pr_auc']);
    expect(result.metrics.auc).toBeGreaterThan(0.75);
    const { artifact } = result;
    expect(artifact.classes).toEqual(['no', 'yes']);
    expect(artifact.model.kind).toBe('gbdt');
    expect(artifact.model.objective).toBe('logistic');
    expect(artifact.model.trees).toHaveLength(30);
    expect(artifact.metadata).toMatchObject({ algorithm: 'gbdt', trees: 30, trainRows: 480, testRows: 120 });
  });

  it('scores identically after a JSON round trip, and records like frames', () => {
    const copy = parseArtifact(JSON.parse(JSON.stringify(result.artifact)));
    const direct = predictFrame(result.artifact, frame);
    expect(Array.from(predictFrame(copy, frame))).toEqual(Array.from(direct));
    const records = Array.from({ length: 50 }, (_, i) => {
      const color = frame.column('color');
      const x2 = frame.column('x2');
      const x1 = frame.column('x1');
      if (color.kind !== 'category' || x1.kind !== 'number' || x2.kind !== 'number') throw new Error('columns');
      const c = color.codes[i]!;
      return {
        x1: x1.values[i]!,
        x2: Number.isNaN(x2.values[i]!) ? null : x2.values[i]!,
        color: c < 0 ? null : color.dictionary[c]!,
        k: 3,
      };
    });
    expect(validateRecords(copy, records)).toEqual([]);
    const probabilities = predictRecords(copy, records).map((p) => ('probabilities' in p ? p.probabilities.yes : NaN));
    expect(probabilities).toEqual(Array.from(direct.subarray(0, 50)));
  });

  it('scores a shuffled frame as the shuffled predictions', () => {
    const order = Int32Array.from({ length: frame.nRows }, (_, i) => i);
    shuffle(order, seededRandom(9));
    const shuffled = predictFrame(result.artifact, frame.take(order));
    const direct = predictFrame(result.artifact, frame);
    expect(Array.from(shuffled)).toEqual(Array.from(order, (i) => direct[i]!));
  });

  it('is deterministic per seed, with row and column sampling', () => {
    const params = { nTrees: 10, subsample: 0.7, colsampleByTree: 0.5 };
    const train = (seed: number) =>
      trainGbdtModel(frame, { target: 'y', task: 'classification', params: { ...params, seed } }).artifact;
    expect(JSON.stringify(train(3))).toBe(JSON.stringify(train(3)));
    expect(JSON.stringify(train(3).model)).not.toBe(JSON.stringify(train(4).model));
  });

  it('stops early on the holdout and keeps the best prefix', () => {
    const stopped = trainGbdtModel(frame, {
      target: 'y',
      task: 'classification',
      params: { nTrees: 500, learningRate: 0.3, earlyStoppingRounds: 5 },
    });
    const kept = stopped.artifact.model.trees.length;
    expect(kept).toBeLessThan(500);
    expect(stopped.artifact.metadata.trees).toBe(kept);
    expect(stopped.metrics.logloss).toBeLessThan(0.6);
  });

  it('reports the holdout loss after every round without changing the model', () => {
    const params = { nTrees: 12, learningRate: 0.3, seed: 2 };
    const losses: [number, number][] = [];
    const watched = trainGbdtModel(frame, {
      target: 'y',
      task: 'classification',
      params,
      onIntermediate: (round, loss) => losses.push([round, loss]),
    });
    const plain = trainGbdtModel(frame, { target: 'y', task: 'classification', params });
    expect(JSON.stringify(watched.artifact)).toBe(JSON.stringify(plain.artifact));
    expect(losses.map(([round]) => round)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    // The last round's loss is the model's holdout log loss.
    expect(losses.at(-1)![1]).toBeCloseTo(plain.metrics.logloss!, 10);
    expect(new Set(losses.map(([, loss]) => loss)).size).toBeGreaterThan(1);
    const stop = new Error('pruned');
    expect(() =>
      trainGbdtModel(frame, {
        target: 'y',
        task: 'classification',
        params,
        onIntermediate: (round) => {
          if (round === 3) throw stop;
        },
      }),
    ).toThrow(stop);
  });

  it('grows leaf-wise up to maxLeaves', () => {
    const { artifact } = trainGbdtModel(frame, {
      target: 'y',
      task: 'classification',
      params: { nTrees: 5, growPolicy: 'lossguide', maxLeaves: 5, maxDepth: 0 },
    });
    for (const tree of artifact.model.trees) {
      const leaves = tree.feature.filter((f) => f === -1).length;
      expect(leaves).toBeLessThanOrEqual(5);
    }
    expect(artifact.model.trees.some((t) => t.feature.filter((f) => f === -1).length === 5)).toBe(true);
  });

  it('reports progress as strictly increasing fractions ending with 1', () => {
    const seen: number[] = [];
    trainGbdtModel(frame, {
      target: 'y',
      task: 'classification',
      params: { nTrees: 5 },
      onProgress: (f) => seen.push(f),
    });
    expect(seen.every((f, i) => i === 0 || f > seen[i - 1]!)).toBe(true);
    expect(seen.at(-1)).toBe(1);
  });
});

describe('trainGbdtModel: regression objectives', () => {
  const frame = syntheticRegression(500);

  it('squared error beats the mean by far', () => {
    const result = trainGbdtModel(frame, { target: 'price', task: 'regression', params: { nTrees: 50 } });
    expect(result.metrics.r2).toBeGreaterThan(0.8);
  });

  it('absolute error puts each leaf at the median residual', () => {
    const x = [1, 2, 3, 4, 5, 6];
    const simple = Frame.fromColumns([num('x', x), num('y', [0, 1, 100, 10, 11, 12])]);
    const { artifact } = trainGbdtModel(simple, {
      target: 'y',
      task: 'regression',
      params: { ...stump, objective: 'absolute_error' },
    });
    // base = median 10.5; the split x < 2.5 (signs of gradients) then leaf medians of residuals.
    expect(artifact.model.baseScore).toBe(10.5);
    const predictions = values(
      predictRecords(
        artifact,
        x.map((v) => ({ x: v })),
      ),
    );
    expect(predictions.slice(0, 2)).toEqual([0.5, 0.5]);
    expect(predictions.slice(2)).toEqual([11.5, 11.5, 11.5, 11.5]);
  });

  it('poisson predicts positive means', () => {
    const counts = Frame.fromColumns([
      num(
        'x',
        Array.from({ length: 200 }, (_, i) => i % 10),
      ),
      num(
        'n',
        Array.from({ length: 200 }, (_, i) => (i % 10) + (i % 3)),
      ),
    ]);
    const result = trainGbdtModel(counts, {
      target: 'n',
      task: 'regression',
      params: { objective: 'poisson', nTrees: 50 },
    });
    const predictions = predictFrame(result.artifact, counts);
    expect(predictions.every((p) => p > 0 && Number.isFinite(p))).toBe(true);
    expect(result.metrics.r2).toBeGreaterThan(0.5);
    const bad = Frame.fromColumns([num('x', [1, 2]), num('n', [1, -1])]);
    expect(code(() => trainGbdtModel(bad, { target: 'n', task: 'regression', params: { objective: 'poisson' } }))).toBe(
      'invalid_param',
    );
  });
});

describe('trainGbdtModel: bad input', () => {
  const frame = syntheticClassification(100);
  it('rejects what the GLM rejects, with the same codes', () => {
    const train =
      (options: Partial<Parameters<typeof trainGbdtModel>[1]>, f = frame) =>
      () =>
        trainGbdtModel(f, { target: 'y', task: 'classification', ...options });
    expect(code(train({ target: 'nope' }))).toBe('unknown_column');
    expect(code(train({ features: ['x1', 'y'] }))).toBe('invalid_param');
    expect(code(train({ features: ['x1', 'x1'] }))).toBe('invalid_param');
    expect(code(train({ params: { nTrees: 0 } }))).toBe('invalid_param');
    expect(code(train({ params: { maxBins: 257 } }))).toBe('invalid_param');
    expect(code(train({ params: { objective: 'squared_error' } }))).toBe('invalid_param');
    expect(code(train({ params: { subsample: 0 } }))).toBe('invalid_param');
    expect(code(train({ task: 'regression', target: 'color' }))).toBe('target_not_numeric');
    const three = Frame.fromColumns([num('x', [1, 2, 3]), num('y', [1, 2, 3])]);
    expect(code(train({ params: { objective: 'logistic' } }, three))).toBe('too_many_classes');
    const one = Frame.fromColumns([num('x', [1, 2, 3]), num('y', [1, 1, 1])]);
    expect(code(train({}, one))).toBe('single_class_target');
    const none = Frame.fromColumns([num('x', [1, 2]), num('y', [NaN, NaN])]);
    expect(code(train({}, none))).toBe('empty_frame');
  });

  it('trains on all-missing, constant and infinite columns without NaN', () => {
    const n = 60;
    const weird = Frame.fromColumns([
      num(
        'missing',
        Array.from({ length: n }, () => NaN),
      ),
      num(
        'constant',
        Array.from({ length: n }, () => 2),
      ),
      num(
        'inf',
        Array.from({ length: n }, (_, i) => (i % 3 === 0 ? Infinity : i)),
      ),
      num(
        'y',
        Array.from({ length: n }, (_, i) => i % 7),
      ),
    ]);
    const { artifact } = trainGbdtModel(weird, { target: 'y', task: 'regression', params: { nTrees: 5 } });
    const predictions = predictFrame(artifact, weird);
    expect(predictions.every((p) => Number.isFinite(p))).toBe(true);
    const copy = JSON.parse(JSON.stringify(artifact)) as GbdtArtifact;
    expect(parseArtifact(copy)).toEqual(artifact);
  });
});

describe('trainGbdtModel: softmax multiclass', () => {
  const random = seededRandom(11);
  const n = 600;
  const x1 = Array.from({ length: n }, () => random() * 3);
  const x2 = Array.from({ length: n }, () => (random() < 0.1 ? NaN : random()));
  const label = x1.map((v, i) =>
    random() < 0.1 ? Math.floor(random() * 3) : Math.min(2, Math.floor(v + (x2[i]! > 0.8 ? 0.5 : 0))),
  );
  const names = ['setosa', 'versicolor', 'virginica'];
  const frame = Frame.fromColumns([
    num('x1', x1),
    num('x2', x2),
    { kind: 'category', name: 'species', codes: Int32Array.from(label), dictionary: names },
  ]);
  const result = trainGbdtModel(frame, { target: 'species', task: 'classification', params: { nTrees: 20 } });

  it('defaults to softmax for more than two classes: one tree per class and round', () => {
    const { artifact } = result;
    expect(artifact.model.objective).toBe('softmax');
    expect(artifact.metadata.params.objective).toBe('softmax');
    expect(artifact.model.trees).toHaveLength(60);
    expect(artifact.model.classBaseScores).toHaveLength(3);
    expect(Object.keys(result.metrics).sort()).toEqual(['accuracy', 'auc_ovr', 'logloss']);
    expect(result.metrics.accuracy).toBeGreaterThan(0.75);
    expect(result.metrics.auc_ovr).toBeGreaterThan(0.85);
  });

  it('scores records like frames (n x k probabilities) and survives a JSON round trip', () => {
    const copy = parseArtifact(JSON.parse(JSON.stringify(result.artifact)));
    const probs = predictFrame(copy, frame);
    expect(probs).toHaveLength(3 * n);
    expect(Array.from(predictFrame(result.artifact, frame))).toEqual(Array.from(probs));
    const records = Array.from({ length: 20 }, (_, i) => ({ x1: x1[i]!, x2: Number.isNaN(x2[i]!) ? null : x2[i]! }));
    predictRecords(copy, records).forEach((prediction, i) => {
      if (!('probabilities' in prediction)) throw new Error('expected probabilities');
      expect(names.map((c) => prediction.probabilities[c])).toEqual(Array.from(probs.subarray(3 * i, 3 * i + 3)));
      const best = names.reduce((a, c) => (prediction.probabilities[c]! > prediction.probabilities[a]! ? c : a));
      expect(prediction.label).toBe(best);
      expect(Object.values(prediction.probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    });
  });

  it('stops early by whole rounds', () => {
    const stopped = trainGbdtModel(frame, {
      target: 'species',
      task: 'classification',
      params: { nTrees: 300, learningRate: 0.5, earlyStoppingRounds: 3 },
    });
    const kept = stopped.artifact.model.trees.length;
    expect(kept % 3).toBe(0);
    expect(kept).toBeLessThan(900);
  });

  it('parseArtifact checks the class base scores and the tree count', () => {
    const json = () => JSON.parse(JSON.stringify(result.artifact)) as LooseJson;
    const pathOf = (value: unknown) => {
      try {
        parseArtifact(value);
        return 'accepted';
      } catch (error) {
        return (error as { details?: { path?: string } }).details?.path;
      }
    };
    const fewer = json();
    fewer.model.classBaseScores.pop();
    expect(pathOf(fewer)).toBe('model.classBaseScores');
    const odd = json();
    odd.model.trees.pop();
    expect(pathOf(odd)).toBe('model.trees');
    const binary = json();
    binary.model.objective = 'logistic';
    expect(pathOf(binary)).toBe('classes');
  });
});
