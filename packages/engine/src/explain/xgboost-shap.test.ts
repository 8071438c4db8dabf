// TreeSHAP against XGBoost 1.7's pred_contribs on the same trees (fixture: __fixtures__/make_xgboost_shap.py).
import { describe, expect, it } from 'vitest';
import type { GbdtArtifact, GbdtTree } from '../artifact/model-artifact.js';
import { Frame } from '../frame/frame.js';
import reference from './__fixtures__/xgboost-shap.json' with { type: 'json' };
import { treeShap } from './tree-shap.js';

interface DumpNode {
  nodeid: number;
  split?: string;
  split_condition?: number;
  yes?: number;
  no?: number;
  missing?: number;
  leaf?: number;
  cover: number;
  children?: DumpNode[];
}

/** An XGBoost JSON dump as an engine tree: nodes renumbered breadth-first, `x < split_condition` goes to `yes`. */
function engineTree(root: DumpNode): GbdtTree {
  const tree: GbdtTree = {
    feature: [],
    threshold: [],
    leftCategories: [],
    defaultLeft: [],
    left: [],
    right: [],
    value: [],
    cover: [],
  };
  const queue: DumpNode[] = [root];
  const ids = new Map<DumpNode, number>([[root, 0]]);
  for (let at = 0; at < queue.length; at++) {
    const node = queue[at]!;
    tree.cover.push(node.cover);
    tree.leftCategories.push([]);
    if (node.leaf !== undefined) {
      tree.feature.push(-1);
      tree.threshold.push(0);
      tree.defaultLeft.push(false);
      tree.left.push(-1);
      tree.right.push(-1);
      tree.value.push(node.leaf);
      continue;
    }
    const child = (id: number) => node.children!.find((c) => c.nodeid === id)!;
    const yes = child(node.yes!);
    const no = child(node.no!);
    for (const c of [yes, no]) {
      ids.set(c, queue.length);
      queue.push(c);
    }
    tree.feature.push(Number(node.split!.slice(1)));
    tree.threshold.push(node.split_condition!);
    tree.defaultLeft.push(node.missing === node.yes);
    tree.left.push(ids.get(yes)!);
    tree.right.push(ids.get(no)!);
    tree.value.push(0);
  }
  return tree;
}

describe('TreeSHAP against XGBoost pred_contribs', () => {
  const features = reference.features;
  const artifact: GbdtArtifact = {
    format: 'modelyard-model',
    formatVersion: 1,
    task: 'classification',
    target: 'Status',
    classes: ['bad', 'good'],
    features: features.map((name) => ({ name, type: 'number' })),
    preprocessing: { encodings: features.map((name) => ({ name, type: 'number', impute: 0, center: 0, scale: 1 })) },
    // base_score 0.5 is a margin of 0.
    model: {
      kind: 'gbdt',
      objective: 'logistic',
      baseScore: 0,
      trees: (reference.trees as DumpNode[]).map(engineTree),
    },
    metadata: {
      algorithm: 'gbdt',
      params: {
        objective: 'logistic',
        nTrees: 12,
        maxDepth: 4,
        learningRate: 0.3,
        maxBins: 256,
        lambda: 1,
        alpha: 0,
        minChildWeight: 1,
        minSamplesLeaf: 1,
        subsample: 1,
        colsampleByTree: 1,
        seed: 0,
        testFraction: 0,
        earlyStoppingRounds: 0,
        growPolicy: 'depthwise',
        maxLeaves: 0,
      },
      droppedColumns: [],
      trees: 12,
      trainRows: 4454,
      testRows: 0,
    },
  };
  const frame = Frame.fromColumns(
    features.map((name, j) => ({
      kind: 'number' as const,
      name,
      values: Float64Array.from(reference.rows, (row) => row[j] ?? Number.NaN),
    })),
  );

  it('gives XGBoost’s contributions and bias on every row, missing values included (float32 tolerance)', () => {
    const shap = treeShap(artifact, frame);
    const m = features.length;
    let worst = 0;
    reference.contribs.forEach((expected, i) => {
      for (let j = 0; j < m; j++) worst = Math.max(worst, Math.abs(shap.contributions[i * m + j]! - expected[j]!));
      // XGBoost's last column is the bias: the base margin plus the trees' cover-weighted means.
      worst = Math.max(worst, Math.abs(shap.expected[0]! - expected[m]!));
      let sum = shap.expected[0]!;
      for (let j = 0; j < m; j++) sum += shap.contributions[i * m + j]!;
      worst = Math.max(worst, Math.abs(sum - reference.margins[i]!));
    });
    expect(worst).toBeLessThan(5e-6);
    expect(reference.rows.some((row) => row.includes(null))).toBe(true);
  });
});
