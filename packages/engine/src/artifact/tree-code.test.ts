import { describe, expect, it } from 'vitest';
import { trainGbdtModel } from '../gbdt/train-gbdt-model.js';
import { trainForestModel } from '../forest/train-forest-model.js';
import { scoringRows, sharedFrame } from '../test-support/parity-cases.js';
import type { FeatureSpec, GbdtTree } from './model-artifact.js';
import { compileTrees } from './tree-code.js';
import { frameTreeColumns } from './tree-scorer.js';

/** The node walk, written out plainly, as the reference for each compiled tree. */
function walk(features: FeatureSpec[], tree: GbdtTree, columns: Float64Array[], i: number): number {
  let node = 0;
  while (tree.feature[node]! >= 0) {
    const f = tree.feature[node]!;
    const x = columns[f]![i]!;
    let left: boolean;
    if (features[f]!.type === 'category')
      left = x >= 0 ? tree.leftCategories[node]!.includes(x) : tree.defaultLeft[node]!;
    else left = Number.isNaN(x) ? tree.defaultLeft[node]! : x < tree.threshold[node]!;
    node = left ? tree.left[node]! : tree.right[node]!;
  }
  return tree.value[node]!;
}

describe('compileTrees', () => {
  it('gives every tree’s leaf value exactly, with missing values, unseen categories and values on thresholds', () => {
    const churn = sharedFrame('wa_churn.csv');
    const gbdt = trainGbdtModel(churn, {
      target: 'churn',
      task: 'classification',
      params: { nTrees: 20, maxDepth: 6 },
    });
    const forest = trainForestModel(sharedFrame('diamonds.csv'), {
      target: 'cut',
      task: 'classification',
      params: { nTrees: 5, maxDepth: 8 },
    });
    let largeSets = 0;
    for (const [artifact, rows] of [
      [gbdt.artifact, scoringRows(churn, 9000)],
      [forest.artifact, scoringRows(sharedFrame('diamonds.csv'), 60_000)],
    ] as const) {
      const columns = frameTreeColumns(artifact, rows);
      const code = compileTrees(artifact.features, artifact.model.trees);
      expect(code).toHaveLength(artifact.model.trees.length);
      let categorySplits = 0;
      let missing = 0;
      artifact.model.trees.forEach((tree, t) => {
        for (let i = 0; i < rows.nRows; i++) {
          expect(Object.is(code![t]!(columns, i), walk(artifact.features, tree, columns, i))).toBe(true);
        }
        categorySplits += tree.leftCategories.filter((c) => c.length > 0).length;
        largeSets += tree.leftCategories.filter((c) => c.length > 4).length;
      });
      for (const column of columns) for (const x of column) if (Number.isNaN(x) || x === -1) missing++;
      expect(categorySplits).toBeGreaterThan(0);
      expect(missing).toBeGreaterThan(0);
    }
    // Sets of more than four categories are tested through a lookup table instead of comparisons.
    expect(largeSets).toBeGreaterThan(0);
  });

  it('keeps the sign of a zero leaf, reads values on a threshold as the walk does, and refuses what is not a number', () => {
    const features: FeatureSpec[] = [{ name: 'x', type: 'number' }];
    const tree: GbdtTree = {
      feature: [0, -1, -1],
      threshold: [0.5, 0, 0],
      leftCategories: [[], [], []],
      defaultLeft: [true, false, false],
      left: [1, -1, -1],
      right: [2, -1, -1],
      value: [0, -0, 2.5],
      cover: [1, 1, 1],
    };
    const [fn] = compileTrees(features, [tree])!;
    const at = (x: number) => fn!([Float64Array.of(x)], 0);
    expect(Object.is(at(0.4), -0)).toBe(true);
    expect(at(0.5)).toBe(2.5);
    expect(Object.is(at(Number.NaN), -0)).toBe(true);
    const hostile = { ...tree, threshold: ['0); globalThis.pwned = 1; (0' as unknown as number, 0, 0] };
    expect(compileTrees(features, [hostile])).toBeUndefined();
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
  });

  it('leaves trees too large to optimise to the node walk', () => {
    const n = 4095;
    const tree: GbdtTree = {
      feature: Array.from({ length: n }, (_, i) => (i < n >> 1 ? 0 : -1)),
      threshold: Array.from({ length: n }, (_, i) => i),
      leftCategories: Array.from({ length: n }, () => []),
      defaultLeft: Array.from({ length: n }, () => false),
      left: Array.from({ length: n }, (_, i) => (i < n >> 1 ? 2 * i + 1 : -1)),
      right: Array.from({ length: n }, (_, i) => (i < n >> 1 ? 2 * i + 2 : -1)),
      value: Array.from({ length: n }, (_, i) => i),
      cover: Array.from({ length: n }, () => 1),
    };
    expect(compileTrees([{ name: 'x', type: 'number' }], [tree])).toBeUndefined();
  });
});
