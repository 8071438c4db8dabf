import { describe, expect, it } from 'vitest';
import { predictFrame } from '../artifact/predict-frame.js';
import { Frame } from '../frame/frame.js';
import { trainGlmModel } from '../glm/train-glm-model.js';
import { trainGbdtModel } from '../gbdt/train-gbdt-model.js';
import { sharedFrame } from '../test-support/parity-cases.js';
import { seededRandom } from '../validation/random.js';
import { partialDependence } from './partial-dependence.js';

/** Non-decreasing within a tolerance for rounding. */
function expectNonDecreasing(values: number[]): void {
  for (let g = 1; g < values.length; g++) expect(values[g]!).toBeGreaterThanOrEqual(values[g - 1]! - 1e-12);
}

describe('partialDependence', () => {
  const random = seededRandom(11);
  const n = 2000;
  const x1 = Float64Array.from({ length: n }, () => random() * 10);
  const x2 = Float64Array.from({ length: n }, () => random() * 4 - 2);
  const frame = Frame.fromColumns([
    { kind: 'number', name: 'x1', values: x1 },
    { kind: 'number', name: 'x2', values: x2 },
  ]);

  it('is monotone for a model monotone in the feature, mean and every ICE curve (a non-engine predict)', () => {
    // Monotone in x1 for every x2, with an interaction, as a foreign (e.g. ONNX) model would be seen.
    const predict = (f: Frame) => {
      const a = f.column('x1');
      const b = f.column('x2');
      if (a.kind !== 'number' || b.kind !== 'number') throw new Error('numbers expected');
      return Float64Array.from(
        a.values,
        (v, i) => Math.tanh(v - 5) * (1 + b.values[i]! ** 2) + Math.sin(3 * b.values[i]!),
      );
    };
    const pd = partialDependence({ predict, frame, feature: 'x1', gridSize: 15, iceRows: 25, seed: 2 });
    expect(pd.kind).toBe('number');
    expect(pd.grid.length).toBe(15);
    expectNonDecreasing(pd.grid as number[]);
    expect(pd.mean.map((m) => m[0]!).at(-1)! - pd.mean[0]![0]!).toBeGreaterThan(1);
    expectNonDecreasing(pd.mean.map((m) => m[0]!));
    expect(pd.ice).toHaveLength(25);
    for (const curve of pd.ice) expectNonDecreasing(curve.values.map((v) => v[0]!));
  });

  it('is monotone for an engine GLM trained on a monotone synthetic target', () => {
    const y = Float64Array.from(x1, (v, i) => 2 * v + Math.sin(x2[i]!) + (random() - 0.5));
    const data = Frame.fromColumns([frame.column('x1'), frame.column('x2'), { kind: 'number', name: 'y', values: y }]);
    const { artifact } = trainGlmModel(data, { target: 'y', task: 'regression' });
    const pd = partialDependence({ predict: (f) => predictFrame(artifact, f), frame: data, feature: 'x1' });
    const means = pd.mean.map((m) => m[0]!);
    expectNonDecreasing(means);
    expect(means.at(-1)! - means[0]!).toBeGreaterThan(15);
  });

  it('uses the most frequent categories as the grid, and gives one curve per class of a multiclass model', () => {
    const diamonds = sharedFrame('diamonds.csv');
    const { artifact } = trainGbdtModel(diamonds, {
      target: 'cut',
      task: 'classification',
      features: ['carat', 'color', 'clarity'],
      params: { nTrees: 5, maxDepth: 3 },
    });
    const pd = partialDependence({
      predict: (f) => predictFrame(artifact, f),
      frame: diamonds,
      feature: 'color',
      gridSize: 3,
      maxRows: 300,
    });
    expect(pd.kind).toBe('category');
    const color = diamonds.column('color');
    if (color.kind !== 'category') throw new Error('category expected');
    const counts = new Map<string, number>();
    for (const code of color.codes) counts.set(color.dictionary[code]!, (counts.get(color.dictionary[code]!) ?? 0) + 1);
    const top = [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([label]) => label);
    // The grid comes from the 300-row sample, so compare it with the sample's own top categories only loosely.
    expect(pd.grid).toHaveLength(3);
    expect(top).toContain(pd.grid[0]);
    expect(pd.outputs).toBe(5);
    for (const point of pd.mean) expect(point.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
    expect(pd.rows).toBe(300);
  });

  it('gives the same curves for the same seed', () => {
    const predict = (f: Frame) => Float64Array.from((f.column('x1') as { values: Float64Array }).values, (v) => v * v);
    const a = partialDependence({ predict, frame, feature: 'x1', maxRows: 100, seed: 4 });
    expect(partialDependence({ predict, frame, feature: 'x1', maxRows: 100, seed: 4 })).toEqual(a);
    expect(() => partialDependence({ predict, frame, feature: 'x1', gridSize: 1 })).toThrow(
      expect.objectContaining({ code: 'invalid_param' }),
    );
  });
});
