import { describe, expect, it } from 'vitest';
import type { FeatureSpec, GbdtTree } from '../artifact/model-artifact.js';
import { modelView } from '../artifact/model-view.js';
import { marginsPerRow, type TreeArtifact } from '../artifact/tree-scorer.js';
import { EngineError } from '../errors.js';
import type { Frame } from '../frame/frame.js';
import { trainForestModel } from '../forest/train-forest-model.js';
import { trainGbdtModel } from '../gbdt/train-gbdt-model.js';
import { scoringRows, sharedFrame } from '../test-support/parity-cases.js';
import { modelColumnFeatures } from './model-column-features.js';
import { treeInputColumns, treeShap } from './tree-shap.js';

/**
 * Brute-force Shapley values of the path-dependent game: v(S) walks each tree, following the row at splits on a
 * feature in S and averaging both children by cover elsewhere; φ_j = Σ_S |S|!(M−|S|−1)!/M! (v(S ∪ j) − v(S)).
 */
function bruteForceShap(artifact: TreeArtifact, frame: Frame): { expected: number[]; phi: Float64Array } {
  const view = modelView(artifact);
  const groups = modelColumnFeatures(artifact);
  const columns = treeInputColumns(artifact, frame);
  const m = artifact.features.length;
  const k = marginsPerRow(artifact);
  const trees = artifact.model.trees;
  const scale = artifact.model.kind === 'forest' ? k / trees.length : 1;
  const base = new Array<number>(k).fill(0);
  if (artifact.model.kind === 'gbdt') {
    for (let c = 0; c < k; c++) base[c] = k > 1 ? artifact.model.classBaseScores![c]! : artifact.model.baseScore;
  }
  const goesLeft = (tree: GbdtTree, node: number, features: FeatureSpec[], x: number) => {
    const f = tree.feature[node]!;
    if (features[f]!.type === 'category')
      return x >= 0 ? tree.leftCategories[node]!.includes(x) : tree.defaultLeft[node]!;
    return Number.isNaN(x) ? tree.defaultLeft[node]! : x < tree.threshold[node]!;
  };
  const value = (tree: GbdtTree, node: number, mask: number, i: number): number => {
    const f = tree.feature[node]!;
    if (f < 0) return tree.value[node]! * scale;
    const l = tree.left[node]!;
    const r = tree.right[node]!;
    if (mask & (1 << groups[f]!)) {
      return value(tree, goesLeft(tree, node, view.features, columns[f]![i]!) ? l : r, mask, i);
    }
    const cl = tree.cover[l]!;
    const cr = tree.cover[r]!;
    return (cl * value(tree, l, mask, i) + cr * value(tree, r, mask, i)) / (cl + cr);
  };
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  const weight = Array.from({ length: m }, (_, s) => (factorial(s) * factorial(m - s - 1)) / factorial(m));
  const phi = new Float64Array(frame.nRows * m * k);
  const v = new Float64Array(1 << m);
  const expected = [...base];
  trees.forEach((tree, t) => (expected[t % k]! += value(tree, 0, 0, 0)));
  for (let i = 0; i < frame.nRows; i++) {
    for (let c = 0; c < k; c++) {
      for (let mask = 0; mask < 1 << m; mask++) {
        let sum = base[c]!;
        for (let t = c; t < trees.length; t += k) sum += value(trees[t]!, 0, mask, i);
        v[mask] = sum;
      }
      for (let j = 0; j < m; j++) {
        let total = 0;
        for (let mask = 0; mask < 1 << m; mask++) {
          if (mask & (1 << j)) continue;
          let size = 0;
          for (let b = mask; b > 0; b &= b - 1) size++;
          total += weight[size]! * (v[mask | (1 << j)]! - v[mask]!);
        }
        phi[(i * m + j) * k + c] = total;
      }
    }
  }
  return { expected, phi };
}

function expectBruteForce(artifact: TreeArtifact, frame: Frame): void {
  const shap = treeShap(artifact, frame);
  const brute = bruteForceShap(artifact, frame);
  const magnitude = Math.max(1, ...brute.phi.map(Math.abs), ...brute.expected.map(Math.abs));
  let worst = 0;
  for (let i = 0; i < brute.phi.length; i++) {
    worst = Math.max(worst, Math.abs(shap.contributions[i]! - brute.phi[i]!));
  }
  shap.expected.forEach((e, c) => (worst = Math.max(worst, Math.abs(e - brute.expected[c]!))));
  expect(worst / magnitude).toBeLessThanOrEqual(1e-12);
  // Not vacuous: the trees split on several features, so most rows get several non-zero contributions.
  expect(brute.phi.filter((p) => Math.abs(p) > 1e-9).length).toBeGreaterThan(brute.phi.length / 4);
}

describe('TreeSHAP', () => {
  // Small models, ≤ 8 input features, rows with missing values and unseen categories.
  const credit = sharedFrame('credit_data.csv');
  const creditFeatures = ['Seniority', 'Home', 'Age', 'Marital', 'Records', 'Job', 'Income', 'Amount'];
  const creditRows = scoringRows(credit.take(Int32Array.from({ length: 60 }, (_, i) => i * 7)), 120);
  const diamonds = sharedFrame('diamonds.csv');
  const diamondFeatures = ['carat', 'color', 'clarity', 'depth', 'table', 'x'];
  const diamondRows = scoringRows(diamonds.take(Int32Array.from({ length: 40 }, (_, i) => i * 101)), 80);
  const small = { nTrees: 4, maxDepth: 3 };

  it('equals brute-force Shapley values: GBDT binary with category splits', () => {
    const options = { target: 'Status', task: 'classification', features: creditFeatures } as const;
    expectBruteForce(trainGbdtModel(credit, { ...options, params: small }).artifact, creditRows);
  });

  it('equals brute-force Shapley values: GBDT multiclass, target-encoded (several columns per feature)', () => {
    const options = { target: 'cut', task: 'classification', features: diamondFeatures } as const;
    const params = { nTrees: 3, maxDepth: 3, categoricalEncoding: 'target' as const };
    const artifact = trainGbdtModel(diamonds, { ...options, params }).artifact;
    expect(artifact.preprocessing.targetEncoding).toBeDefined();
    expectBruteForce(artifact, diamondRows);
  });

  it('equals brute-force Shapley values: GBDT poisson regression', () => {
    const options = { target: 'price', task: 'regression', features: diamondFeatures } as const;
    expectBruteForce(
      trainGbdtModel(diamonds, { ...options, params: { ...small, objective: 'poisson' } }).artifact,
      diamondRows,
    );
  });

  it('equals brute-force Shapley values: forests (regression, binary, multiclass)', () => {
    const regression = { target: 'price', task: 'regression', features: diamondFeatures } as const;
    expectBruteForce(
      trainForestModel(diamonds, { ...regression, params: { nTrees: 5, maxDepth: 3 } }).artifact,
      diamondRows,
    );
    const binary = { target: 'Status', task: 'classification', features: creditFeatures } as const;
    expectBruteForce(trainForestModel(credit, { ...binary, params: { nTrees: 5, maxDepth: 4 } }).artifact, creditRows);
    const multiclass = { target: 'cut', task: 'classification', features: diamondFeatures } as const;
    expectBruteForce(
      trainForestModel(diamonds, { ...multiclass, params: { nTrees: 3, maxDepth: 3 } }).artifact,
      diamondRows,
    );
  });

  it('refuses a tree artifact without node covers', () => {
    const options = { target: 'Status', task: 'classification', features: creditFeatures } as const;
    const artifact = structuredClone(trainGbdtModel(credit, { ...options, params: small }).artifact);
    for (const tree of artifact.model.trees) delete (tree as Partial<GbdtTree>).cover;
    const error = (() => {
      try {
        treeShap(artifact, creditRows);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({ code: 'invalid_artifact', details: { reason: 'explain_needs_cover' } });
  });
});
