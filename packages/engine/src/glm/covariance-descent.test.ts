import { describe, it, expect } from 'vitest';
import { denseColumn, type DesignMatrix } from '../preprocess/design-matrix.js';
import { expectClose } from '../test-support/expect-close.js';
import { normal } from '../test-support/synthetic.js';
import { seededRandom } from '../validation/random.js';
import { coordinateDescent } from './coordinate-descent.js';
import { covarianceDescent } from './covariance-descent.js';
import { useCovariance } from './solve-weighted.js';
import { weightedGram } from './weighted-gram.js';

/** Two correlated numeric columns, a 3-level block with missing rows and a 4-level block; weighted rows. */
function problem(n: number, seed: number) {
  const random = seededRandom(seed);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const first = new Int32Array(n);
  const second = new Int32Array(n);
  const z = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = normal(random) + 0.5;
    b[i] = 0.8 * a[i]! + 0.6 * normal(random);
    first[i] = random() < 0.1 ? -1 : Math.floor(random() * 3);
    second[i] = Math.floor(random() * 4);
    z[i] = 1 + 2 * a[i]! - b[i]! + (first[i] === 1 ? 1 : 0) - (second[i] === 3 ? 0.5 : 0) + normal(random);
    w[i] = 0.2 + random();
  }
  const x: DesignMatrix = {
    nRows: n,
    width: 9,
    parts: [
      { kind: 'block', start: 0, size: 3, codes: first },
      { kind: 'dense', index: 3, values: a },
      { kind: 'block', start: 4, size: 4, codes: second },
      { kind: 'dense', index: 8, values: b },
    ],
  };
  return { x, z, w };
}

describe('weightedGram', () => {
  it('is the weighted, centred cross-product matrix of the columns', () => {
    const { x, w } = problem(200, 5);
    const gram = weightedGram(x, w);
    const columns = Array.from({ length: x.width }, (_, j) => denseColumn(x, j));
    const sumW = w.reduce((s, v) => s + v, 0);
    const means = columns.map((col) => col.reduce((s, v, i) => s + w[i]! * v, 0) / sumW);
    const expected = columns.flatMap((cj, j) =>
      columns.map((ck, k) => cj.reduce((s, v, i) => s + w[i]! * (v - means[j]!) * (ck[i]! - means[k]!), 0)),
    );
    expectClose(gram.matrix, expected, 1e-12, 1e-12);
    expectClose(gram.means, means, 1e-12, 1e-15);
    expect(gram.sumW).toBeCloseTo(sumW, 12);
  });
});

describe('covarianceDescent', () => {
  const { x, z, w } = problem(300, 7);
  for (const [lambda, alpha] of [
    [0.01, 0],
    [0.02, 0.5],
    [0.05, 1],
  ] as const) {
    it(`lands where residual-update coordinate descent does (lambda ${lambda}, alpha ${alpha})`, () => {
      const naive = { intercept: 0, beta: new Float64Array(x.width) };
      const covariance = { intercept: 0, beta: new Float64Array(x.width) };
      const p = { x, z, w, lambda, alpha };
      expect(coordinateDescent(p, naive, 1e-24, 100_000).converged).toBe(true);
      expect(covarianceDescent(p, weightedGram(x, w), covariance, 1e-24, 100_000).converged).toBe(true);
      expectClose(covariance.beta, naive.beta, 0, 1e-9);
      expectClose([covariance.intercept], [naive.intercept], 0, 1e-9);
      if (alpha === 1) expect(covariance.beta.filter((v) => v === 0).length).toBeGreaterThan(0);
    });
  }

  it('warm-starts: an already optimal start stops after one sweep', () => {
    const p = { x, z, w, lambda: 0.02, alpha: 0.5 };
    const coef = { intercept: 0, beta: new Float64Array(x.width) };
    const gram = weightedGram(x, w);
    covarianceDescent(p, gram, coef, 1e-24, 100_000);
    expect(covarianceDescent(p, gram, coef, 1e-20, 100_000).sweeps).toBe(1);
  });
});

describe('useCovariance', () => {
  it('takes the Gram route only with at least as many rows as columns', () => {
    expect(useCovariance(problem(300, 1).x)).toBe(true);
    expect(useCovariance(problem(8, 1).x)).toBe(false);
  });
});
