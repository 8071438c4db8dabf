import { describe, it, expect } from 'vitest';
import { denseColumn, type DesignMatrix } from '../preprocess/design-matrix.js';
import { Frame } from '../frame/frame.js';
import { encodeFrame } from '../preprocess/encode-frame.js';
import { fitPreprocessing } from '../preprocess/fit-preprocessing.js';
import { normal } from '../test-support/synthetic.js';
import { seededRandom } from '../validation/random.js';
import { coordinateDescent } from './coordinate-descent.js';

/** n rows: two numeric columns, then a complete 3-level one-hot block (collinear with the intercept). */
function problem(n: number, seed: number) {
  const random = seededRandom(seed);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const codes = new Int32Array(n);
  const z = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = normal(random);
    b[i] = 0.8 * a[i]! + 0.6 * normal(random);
    codes[i] = Math.floor(random() * 3);
    z[i] = 1 + 2 * a[i]! - b[i]! + (codes[i] === 1 ? 1 : 0) + normal(random);
    w[i] = 0.2 + random();
  }
  const x: DesignMatrix = {
    nRows: n,
    width: 5,
    parts: [
      { kind: 'dense', index: 0, values: a },
      { kind: 'dense', index: 1, values: b },
      { kind: 'block', start: 2, size: 3, codes },
    ],
  };
  const columns = Array.from({ length: 5 }, (_, j) => denseColumn(x, j));
  return { x, z, w, columns };
}

/** Solves the weighted ridge normal equations directly (intercept unpenalised). */
function ridgeExact(x: DesignMatrix, z: Float64Array, w: Float64Array, lambda: number): number[] {
  const n = x.nRows;
  const cols = [new Float64Array(n).fill(1), ...Array.from({ length: x.width }, (_, j) => denseColumn(x, j))];
  const k = cols.length;
  const a = cols.map((ci, r) =>
    cols.map((cj, c) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += w[i]! * ci[i]! * cj[i]!;
      return s + (r === c && r > 0 ? n * lambda : 0);
    }),
  );
  const b = cols.map((ci) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += w[i]! * ci[i]! * z[i]!;
    return s;
  });
  for (let c = 0; c < k; c++) {
    for (let r = c + 1; r < k; r++) {
      const f = a[r]![c]! / a[c]![c]!;
      for (let j = c; j < k; j++) a[r]![j] = a[r]![j]! - f * a[c]![j]!;
      b[r] = b[r]! - f * b[c]!;
    }
  }
  const out = new Array<number>(k).fill(0);
  for (let r = k - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let j = r + 1; j < k; j++) s -= a[r]![j]! * out[j]!;
    out[r] = s / a[r]![r]!;
  }
  return out;
}

describe('coordinateDescent', () => {
  it('matches the exact weighted ridge solution, even with a tiny penalty on a collinear block', () => {
    const { x, z, w } = problem(80, 5);
    for (const lambda of [1e-4, 0.1]) {
      const coef = { intercept: 0, beta: new Float64Array(5) };
      const result = coordinateDescent({ x, z, w, lambda, alpha: 0 }, coef, 1e-24, 100_000);
      expect(result.converged).toBe(true);
      const exact = ridgeExact(x, z, w, lambda);
      expect(coef.intercept).toBeCloseTo(exact[0]!, 8);
      Array.from(coef.beta).forEach((b, j) => expect(b).toBeCloseTo(exact[j + 1]!, 8));
    }
  });

  it('matches the exact ridge solution when indicators repeat across blocks and a number copies one', () => {
    const n = 120;
    const random = seededRandom(11);
    const internet = Int32Array.from({ length: n }, () => Math.floor(random() * 3));
    const security = Int32Array.from(internet, (c) => (c === 2 ? 2 : Math.floor(random() * 2)));
    const phone = Float64Array.from(internet, (c) => (c === 2 ? 0 : 1));
    const frame = Frame.fromColumns([
      { kind: 'category', name: 'internet', codes: internet, dictionary: ['dsl', 'fiber', 'none'] },
      { kind: 'category', name: 'security', codes: security, dictionary: ['no', 'yes', 'none'] },
      { kind: 'number', name: 'phone', values: phone },
    ]);
    const x = encodeFrame(frame, fitPreprocessing(frame, frame.names).encodings);
    expect(x.tied!.length).toBeGreaterThan(0);
    const z = Float64Array.from(internet, (c, i) => c + 0.5 * security[i]! + normal(random));
    const w = Float64Array.from({ length: n }, () => 0.2 + random());
    const coef = { intercept: 0, beta: new Float64Array(x.width) };
    const result = coordinateDescent({ x, z, w, lambda: 1e-4, alpha: 0 }, coef, 1e-24, 100_000);
    expect(result.converged).toBe(true);
    const exact = ridgeExact(x, z, w, 1e-4);
    expect(coef.intercept).toBeCloseTo(exact[0]!, 8);
    Array.from(coef.beta).forEach((b, j) => expect(b).toBeCloseTo(exact[j + 1]!, 8));
  });

  it('satisfies the elastic-net optimality conditions, with exact zeros', () => {
    const { x, z, w, columns } = problem(80, 9);
    const lambda = 0.3;
    const alpha = 0.8;
    const coef = { intercept: 0, beta: new Float64Array(5) };
    coordinateDescent({ x, z, w, lambda, alpha }, coef, 1e-26, 100_000);
    const n = x.nRows;
    const r = Float64Array.from(
      z,
      (zi, i) => zi - coef.intercept - columns.reduce((s, c, j) => s + c[i]! * coef.beta[j]!, 0),
    );
    let wr = 0;
    for (let i = 0; i < n; i++) wr += w[i]! * r[i]!;
    expect(Math.abs(wr / n)).toBeLessThan(1e-10);
    let zeros = 0;
    columns.forEach((col, j) => {
      let g = 0;
      for (let i = 0; i < n; i++) g += w[i]! * col[i]! * r[i]!;
      g = g / n - lambda * (1 - alpha) * coef.beta[j]!;
      const b = coef.beta[j]!;
      if (b === 0) {
        zeros++;
        expect(Math.abs(g)).toBeLessThanOrEqual(lambda * alpha + 1e-10);
      } else {
        expect(g).toBeCloseTo(lambda * alpha * Math.sign(b), 9);
      }
    });
    expect(zeros).toBeGreaterThan(0);
  });

  it('stops at the sweep cap and says so', () => {
    const { x, z, w } = problem(40, 2);
    const coef = { intercept: 0, beta: new Float64Array(5) };
    expect(coordinateDescent({ x, z, w, lambda: 1e-4, alpha: 0 }, coef, 1e-30, 3)).toEqual({
      sweeps: 3,
      converged: false,
    });
  });
});
