import { describe, it, expect } from 'vitest';
import { seededRandom } from '../validation/random.js';
import { findBestSplit } from './find-split.js';
import { buildHistogram, packQuads, STRIDE, subtractHistogram } from './histogram.js';

describe('buildHistogram / subtractHistogram', () => {
  it('derives the sibling histogram exactly in counts and to rounding in sums', () => {
    const random = seededRandom(2);
    const n = 1000;
    const valueBins = Int32Array.from([7, 3]);
    const offsets = Int32Array.from([0, 8]);
    const codes = [
      Uint8Array.from({ length: n }, () => Math.floor(random() * 8)),
      Uint8Array.from({ length: n }, () => Math.floor(random() * 4)),
    ];
    const grad = Float64Array.from({ length: n }, () => random() - 0.5);
    const hess = Float64Array.from({ length: n }, () => random());
    const features = Int32Array.from([0, 1]);
    const scratch = { g: new Float64Array(n), h: new Float64Array(n) };
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    const build = (start: number, end: number) => {
      const hist = new Float64Array(12 * STRIDE);
      buildHistogram(hist, codes, features, offsets, rows, start, end, grad, hess, scratch);
      return hist;
    };
    const parent = build(0, n);
    const small = build(0, 300);
    const large = build(300, n);
    subtractHistogram(parent, small, features, offsets, valueBins);
    for (let k = 0; k < parent.length; k++) expect(parent[k]).toBeCloseTo(large[k]!, 12);
    for (let k = 2; k < parent.length; k += STRIDE) expect(parent[k]).toBe(large[k]);
    let total = 0;
    for (let b = 0; b < 8; b++) total += large[b * STRIDE + 2]!;
    expect(total).toBe(700);
  });
});

describe('histograms without row counts', () => {
  it('hold the same gradient and hessian sums, and lead findBestSplit to the same split', () => {
    const random = seededRandom(9);
    let splits = 0;
    for (let trial = 0; trial < 20; trial++) {
      const n = 50 + Math.floor(random() * 400);
      const nFeatures = 1 + Math.floor(random() * 9);
      // Bins per feature, plus a missing bin; some bins stay empty, some features are categories.
      const valueBins = Int32Array.from({ length: nFeatures }, () => 2 + Math.floor(random() * 30));
      const offsets = new Int32Array(nFeatures);
      for (let f = 1; f < nFeatures; f++) offsets[f] = offsets[f - 1]! + valueBins[f - 1]! + 1;
      const totalBins = offsets[nFeatures - 1]! + valueBins[nFeatures - 1]! + 1;
      const codes = Array.from(valueBins, (bins) =>
        Uint8Array.from({ length: n }, () => (random() < 0.1 ? bins : Math.floor(random() * random() * bins))),
      );
      const grad = Float64Array.from({ length: n }, () => random() - 0.3);
      const hess = Float64Array.from({ length: n }, () => 1e-16 + random() * random());
      const features = Int32Array.from({ length: nFeatures }, (_, f) => f);
      const rows = Int32Array.from({ length: n }, (_, i) => i).filter(() => random() < 0.7);
      const scratch = { g: new Float64Array(n), h: new Float64Array(n) };
      const counted = new Float64Array(totalBins * STRIDE);
      const uncounted = new Float64Array(totalBins * STRIDE);
      buildHistogram(counted, codes, features, offsets, rows, 0, rows.length, grad, hess, scratch, true);
      buildHistogram(uncounted, codes, features, offsets, rows, 0, rows.length, grad, hess, scratch, false);
      for (let k = 0; k < counted.length; k++) expect(uncounted[k]).toBe(k % STRIDE === 2 ? 0 : counted[k]);

      let g = 0;
      let h = 0;
      for (const r of rows) {
        g += grad[r]!;
        h += hess[r]!;
      }
      const node = { g, h, count: rows.length };
      const isCategory = Uint8Array.from({ length: nFeatures }, () => (random() < 0.3 ? 1 : 0));
      const layout = { offsets, valueBins, isCategory };
      const rules = { lambda: 1, alpha: 0, minChildWeight: random() < 0.5 ? 0 : 0.5, minSamplesLeaf: 1 };
      const withCounts = findBestSplit(counted, features, layout, node, rules);
      const without = findBestSplit(uncounted, features, layout, node, { ...rules, countRows: false });
      expect(without === null).toBe(withCounts === null);
      if (withCounts !== null && without !== null) {
        splits++;
        expect([without.feature, without.bin, without.defaultLeft, without.gain]).toEqual([
          withCounts.feature,
          withCounts.bin,
          withCounts.defaultLeft,
          withCounts.gain,
        ]);
        expect(Array.from(without.categories ?? [])).toEqual(Array.from(withCounts.categories ?? []));
      }
    }
    expect(splits).toBeGreaterThan(15);
  });
});

describe('histograms from packed code quads', () => {
  it('equal the column kernel bit for bit on dense, middling and sparse nodes (quad columns, row records)', () => {
    const random = seededRandom(21);
    const n = 3000;
    const nFeatures = 11;
    const offsets = Int32Array.from({ length: nFeatures }, (_, f) => f * 256);
    const codes = Array.from({ length: nFeatures }, () => Uint8Array.from({ length: n }, () => random() * 256));
    const quads = packQuads(codes, (length) => new Int32Array(length));
    expect(quads.columns.length).toBe(2);
    const grad = Float64Array.from({ length: n }, () => random() - 0.5);
    const hess = Float64Array.from({ length: n }, () => random());
    const scratch = { g: new Float64Array(n), h: new Float64Array(n) };
    const featureLists = [
      Int32Array.from({ length: nFeatures }, (_, f) => f),
      Int32Array.of(0, 1, 2, 3, 5, 6, 7, 8, 9, 10),
      Int32Array.of(4, 5, 6, 7, 8, 9, 10),
    ];
    for (const share of [1, 0.5, 0.01]) {
      const rows = Int32Array.from({ length: n }, (_, i) => i).filter(() => random() < share);
      for (const features of featureLists) {
        const plain = new Float64Array(nFeatures * 256 * STRIDE);
        const packed = new Float64Array(nFeatures * 256 * STRIDE);
        buildHistogram(plain, codes, features, offsets, rows, 0, rows.length, grad, hess, scratch, false);
        buildHistogram(packed, codes, features, offsets, rows, 0, rows.length, grad, hess, scratch, false, quads);
        expect(Array.from(packed)).toEqual(Array.from(plain));
        expect(plain.some((v) => v !== 0)).toBe(true);
      }
    }
  });
});
