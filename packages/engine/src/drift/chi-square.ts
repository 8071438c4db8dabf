// χ² tests on counts: SciPy's `chi2_contingency` (independence in an r × c table, Yates' correction when there is one
// degree of freedom) and `chisquare` (goodness of fit of observed counts to expected ones).

import { chiSquareSf } from './special-functions.js';
import type { TestResult } from './ks-test.js';

export interface ContingencyResult extends TestResult {
  dof: number;
  /** Expected counts under independence, row-major like the input. */
  expected: number[][];
}

/**
 * χ² test of independence of a table of counts (rows × columns, each row and column with a non-zero total). With one
 * degree of freedom each observed count moves up to ½ toward its expected count first (Yates), as SciPy does by
 * default.
 */
export function chiSquareContingency(table: number[][], correction = true): ContingencyResult {
  const rows = table.length;
  const cols = table[0]?.length ?? 0;
  if (rows === 0 || cols === 0 || table.some((r) => r.length !== cols)) {
    throw new RangeError('chiSquareContingency needs a non-empty rectangular table');
  }
  const rowSums = table.map((r) => r.reduce((s, v) => s + v, 0));
  const colSums = Array.from({ length: cols }, (_, j) => table.reduce((s, r) => s + r[j]!, 0));
  const total = rowSums.reduce((s, v) => s + v, 0);
  if (rowSums.some((s) => s === 0) || colSums.some((s) => s === 0)) {
    throw new RangeError('chiSquareContingency: a row or column sums to zero, so an expected count is zero');
  }
  const expected = rowSums.map((r) => colSums.map((c) => (r * c) / total));
  const dof = (rows - 1) * (cols - 1);
  if (dof === 0) return { statistic: 0, pValue: 1, dof, expected };
  let statistic = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let observed = table[i]![j]!;
      const e = expected[i]![j]!;
      if (dof === 1 && correction) {
        const diff = e - observed;
        observed += Math.sign(diff) * Math.min(0.5, Math.abs(diff));
      }
      statistic += ((observed - e) * (observed - e)) / e;
    }
  }
  return { statistic, pValue: chiSquareSf(statistic, dof), dof, expected };
}

/** χ² goodness of fit (SciPy's `chisquare`): k − 1 degrees of freedom. */
export function chiSquareGoodnessOfFit(observed: ArrayLike<number>, expected: ArrayLike<number>): TestResult {
  if (observed.length !== expected.length || observed.length < 2) {
    throw new RangeError('chiSquareGoodnessOfFit needs two equally long count vectors of at least two entries');
  }
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) {
    const d = observed[i]! - expected[i]!;
    statistic += (d * d) / expected[i]!;
  }
  return { statistic, pValue: chiSquareSf(statistic, observed.length - 1) };
}
