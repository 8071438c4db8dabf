// Margins from a tree's leaf table, with and without its deepest level partitioned, equal routing every row.
import { describe, expect, it } from 'vitest';
import { Frame } from '../frame/frame.js';
import { seededRandom } from '../validation/random.js';
import { binTrainingData } from './binned-training-data.js';
import { addBinnedTree, addLeafRanges, growTree, leafTable, type GrowRules } from './grow-tree.js';

function dataOf(seed: number, n: number) {
  const random = seededRandom(seed);
  const x = Float64Array.from({ length: n }, () => (random() < 0.1 ? NaN : random() * 10));
  const z = Float64Array.from({ length: n }, () => random());
  const codes = Int32Array.from({ length: n }, () => (random() < 0.1 ? -1 : Math.floor(random() * 6)));
  const frame = Frame.fromColumns([
    { kind: 'number', name: 'x', values: x },
    { kind: 'number', name: 'z', values: z },
    { kind: 'category', name: 'c', codes, dictionary: ['a', 'b', 'c', 'd', 'e', 'f'] },
  ]);
  const categories = ['a', 'b', 'c', 'd', 'e', 'f'];
  const encodings = [
    { name: 'x', type: 'number' as const, impute: 0, center: 0, scale: 1 },
    { name: 'z', type: 'number' as const, impute: 0, center: 0, scale: 1 },
    { name: 'c', type: 'category' as const, categories },
  ];
  const { data } = binTrainingData(frame, encodings, 32);
  const grad = Float64Array.from({ length: n }, (_, i) => Math.sin(x[i]! || 1) + (codes[i]! % 2) - z[i]!);
  const hess = Float64Array.from({ length: n }, () => 0.25 + random());
  return { data, grad, hess };
}

describe('leaf tables', () => {
  it('add the same margins as routing, with the deepest splits partitioned or not', () => {
    for (const seed of [1, 2, 3]) {
      const n = 2000;
      const { data, grad, hess } = dataOf(seed, n);
      const features = Int32Array.of(0, 1, 2);
      for (const maxDepth of [1, 3, 5]) {
        const rules: GrowRules = {
          lambda: 1,
          alpha: 0,
          minChildWeight: 1,
          minSamplesLeaf: 1,
          countRows: false,
          maxDepth,
          growPolicy: 'depthwise',
          maxLeaves: 0,
          learningRate: 0.3,
        };
        const trees = [true, false].map((partitionLeaves) => {
          const rows = Int32Array.from({ length: n }, (_, i) => i);
          const tree = growTree(data, { ...rules, partitionLeaves }, features, rows, grad, hess);
          const routed = new Float64Array(n).fill(0.5);
          addBinnedTree(tree, data.codes, routed);
          const fromTable = new Float64Array(n).fill(0.5);
          addLeafRanges(leafTable(tree), rows, data.codes, fromTable);
          expect(Array.from(fromTable)).toEqual(Array.from(routed));
          return { tree, routed };
        });
        const [partitioned, unsplit] = trees;
        expect(unsplit!.tree.feature).toEqual(partitioned!.tree.feature);
        expect(unsplit!.tree.value).toEqual(partitioned!.tree.value);
        expect(Array.from(unsplit!.routed)).toEqual(Array.from(partitioned!.routed));
        // The deepest splits really were left unpartitioned.
        expect(unsplit!.tree.partitioned.some((p) => !p)).toBe(true);
        expect(partitioned!.tree.partitioned.every((p) => p)).toBe(true);
      }
    }
  });
});
