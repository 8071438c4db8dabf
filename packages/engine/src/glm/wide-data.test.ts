import { describe, it, expect } from 'vitest';
import { Frame } from '../frame/frame.js';
import type { Column } from '../frame/column.js';
import { predictFrame } from '../artifact/predict-frame.js';
import { expectClose } from '../test-support/expect-close.js';
import { normal } from '../test-support/synthetic.js';
import { seededRandom } from '../validation/random.js';
import { trainGlmModel } from './train-glm-model.js';

// More encoded columns than training rows: regularised fits must stay finite; an unpenalised one is refused.

/** n rows, p numeric columns and a 12-level category; y depends on the first three columns. */
function wideFrame(n: number, p: number, task: 'regression' | 'binary' | 'multiclass', seed = 3): Frame {
  const random = seededRandom(seed);
  const columns: Column[] = Array.from({ length: p }, (_, j) => ({
    kind: 'number',
    name: `x${j}`,
    values: Float64Array.from({ length: n }, () => normal(random)),
  }));
  const level = Int32Array.from({ length: n }, () => Math.floor(random() * 12));
  columns.push({ kind: 'category', name: 'level', codes: level, dictionary: [...'abcdefghijkl'] });
  const signal = (i: number) =>
    [0, 1, 2].reduce((s, j) => s + (j + 1) * (columns[j] as { values: Float64Array }).values[i]!, 0);
  if (task === 'regression') {
    columns.push({ kind: 'number', name: 'y', values: Float64Array.from({ length: n }, (_, i) => signal(i)) });
  } else {
    const k = task === 'binary' ? 2 : 3;
    // Cycling the classes keeps each of them in the stratified training rows.
    const codes = Int32Array.from({ length: n }, (_, i) => (signal(i) > 0 ? i % k : (i + 1) % k));
    columns.push({ kind: 'category', name: 'y', codes, dictionary: ['a', 'b', 'c'].slice(0, k) });
  }
  return Frame.fromColumns(columns);
}

const finite = (values: ArrayLike<number>) => Array.from(values).every(Number.isFinite);

describe('GLM with more features than rows', () => {
  const cases = [
    { task: 'regression' as const, kind: 'regression' as const },
    { task: 'binary' as const, kind: 'classification' as const },
    { task: 'multiclass' as const, kind: 'classification' as const },
  ];
  for (const { task, kind } of cases) {
    for (const alpha of [0, 0.5, 1]) {
      it(`${task}, alpha ${alpha}: lambda > 0 trains and gives finite coefficients and predictions`, () => {
        const frame = wideFrame(40, 200, task);
        const { artifact, trainRows } = trainGlmModel(frame, {
          target: 'y',
          task: kind,
          params: { lambda: 0.05, alpha },
        });
        const model = artifact.model;
        const rows = model.family === 'multinomial' ? model.coefficientMatrix : [model.coefficients];
        expect(rows[0]!.length).toBeGreaterThan(trainRows);
        expect(rows.every(finite)).toBe(true);
        expect(artifact.metadata.converged).toBe(true);
        expect(finite(predictFrame(artifact, frame))).toBe(true);
        // The lasso part selects: far fewer non-zero coefficients than columns.
        if (alpha === 1) expect(rows.flat().filter((b) => b !== 0).length).toBeLessThan(trainRows);
      });
    }
  }

  it('refuses lambda = 0 with too_many_features, naming the counts', () => {
    const frame = wideFrame(40, 200, 'regression');
    let caught: unknown;
    try {
      trainGlmModel(frame, { target: 'y', task: 'regression', params: { lambda: 0 } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'too_many_features', details: { columns: 212, rows: 32, lambda: 0 } });
    expect((caught as Error).message).toMatch(/lambda > 0/);
  });

  it('still fits lambda = 0 when there are fewer columns than rows', () => {
    const frame = wideFrame(80, 5, 'regression');
    const { artifact } = trainGlmModel(frame, {
      target: 'y',
      task: 'regression',
      params: { lambda: 0, tolerance: 1e-16, maxIterations: 100_000 },
    });
    if (artifact.model.family === 'multinomial') throw new Error('expected a gaussian model');
    // y is exactly 1 x0 + 2 x1 + 3 x2, so the unpenalised fit recovers it in original units.
    const units = artifact.metadata.originalUnits;
    if (Array.isArray(units)) throw new Error('expected one predictor');
    expectClose(
      units.terms.slice(0, 3).map((t) => t.coefficient),
      [1, 2, 3],
      0,
      1e-6,
    );
  });
});
