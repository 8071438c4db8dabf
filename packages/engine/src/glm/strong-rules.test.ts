import { describe, it, expect } from 'vitest';
import { addProduct, type DesignMatrix } from '../preprocess/design-matrix.js';
import { strongSet, violations } from './strong-rules.js';
import { subDesign } from './sub-design.js';

const x: DesignMatrix = {
  nRows: 5,
  width: 6,
  parts: [
    { kind: 'dense', index: 0, values: Float64Array.from([1, 2, 3, 4, 5]) },
    { kind: 'block', start: 1, size: 3, codes: Int32Array.from([0, 1, 2, -1, 1]) },
    { kind: 'dense', index: 4, values: Float64Array.from([-1, 0, 1, 0, -1]) },
    { kind: 'block', start: 5, size: 1, codes: Int32Array.from([0, 0, -1, 0, -1]) },
  ],
  tied: [{ columns: [0, 4], scales: [1, 1] }],
};

describe('subDesign', () => {
  it('keeps the chosen columns, re-coding a partly kept block, and predicts like the full design with zeros', () => {
    const keep = Uint8Array.from([1, 0, 1, 1, 0, 0]);
    const sub = subDesign(x, keep);
    expect(Array.from(sub.columns)).toEqual([0, 2, 3]);
    expect(sub.design.width).toBe(3);
    expect(sub.design.parts.map((p) => p.kind)).toEqual(['dense', 'block']);
    const block = sub.design.parts[1]!;
    if (block.kind !== 'block') throw new Error('expected a block');
    expect(Array.from(block.codes)).toEqual([-1, 0, 1, -1, 0]);
    // Column 4 was left out, so the tie between 0 and 4 no longer applies.
    expect(sub.design.tied).toEqual([]);
    const beta = [0.5, 0, -2, 3, 0, 0];
    const full = new Float64Array(5);
    addProduct(full, x, beta, 1);
    const restricted = new Float64Array(5);
    addProduct(
      restricted,
      sub.design,
      Array.from(sub.columns, (j) => beta[j]!),
      1,
    );
    expect(Array.from(restricted)).toEqual(Array.from(full));
  });
});

describe('strong rules', () => {
  it('keeps non-zero columns and those whose gradient reaches alpha (2 lambda - previous lambda)', () => {
    const sizes = Float64Array.from([0.1, 0.5, 0.79, 0.8, 2]);
    const nonZero = Uint8Array.from([1, 0, 0, 0, 0]);
    // alpha 1, lambda 0.9 after 1.0: bound 0.8.
    expect(Array.from(strongSet(sizes, nonZero, 0.9, 1, 1))).toEqual([1, 0, 0, 1, 1]);
  });

  it('reports left-out columns whose gradient exceeds lambda alpha', () => {
    const sizes = Float64Array.from([0.1, 0.5, 0.95, 0.8]);
    expect(violations(sizes, Uint8Array.from([0, 0, 0, 1]), 0.9, 1)).toEqual([2]);
    expect(violations(sizes, Uint8Array.from([0, 0, 1, 1]), 0.9, 1)).toEqual([]);
  });
});
