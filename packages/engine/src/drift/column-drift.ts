// Drift of one column between a reference sample and a current one, with the test chosen as Evidently documents its
// defaults: a reference of at most 1,000 values gets a test with a p-value (KS for numbers with more than 5 distinct
// values, else χ² for more than 2 distinct values and the two-proportion z-test for 2), a larger one a distance
// (normalised Wasserstein for numbers with more than 5 distinct values, else Jensen–Shannon). p-value tests drift
// below 0.05, distances at or above 0.1. Our χ² is the test of independence of the 2 × k table of counts (SciPy's
// chi2_contingency, which treats the reference as a sample too), where Evidently fits the current counts to the
// reference shares.

import { chiSquareContingency } from './chi-square.js';
import { fillEmptyShares, jensenShannonDistance, populationStabilityIndex, wassersteinDistance } from './distances.js';
import { histogramCounts, sturgesEdges } from './histogram-bins.js';
import { ksTwoSample } from './ks-test.js';
import { distinctUnionUpTo, distinctUpTo, sortedWithoutNaN } from './radix-sort.js';
import { normalSf } from './special-functions.js';

export type DriftTestName = 'ks' | 'chisquare' | 'z' | 'wasserstein' | 'jensenshannon' | 'psi';

/** A column's values: numbers (NaN = missing, ignored) or counts per category (missing left out). */
export type ColumnSample =
  { kind: 'number'; values: ArrayLike<number> } | { kind: 'category'; counts: ReadonlyMap<string, number> };

export interface ColumnDriftOptions {
  /** The test to use instead of the default choice. */
  test?: DriftTestName;
  /** Drift when a p-value is below it, or a distance at or above it; default 0.05 for p-values, 0.1 for distances. */
  threshold?: number;
}

export interface ColumnDriftResult {
  test: DriftTestName;
  /** The test's statistic: D, χ², z, or the distance / index itself. */
  statistic: number;
  /** For KS, χ² and z; null for distances. */
  pValue: number | null;
  /** What the threshold is compared with: the p-value or the distance. */
  score: number;
  threshold: number;
  drifted: boolean;
  referenceSize: number;
  currentSize: number;
}

const P_VALUE_TESTS: ReadonlySet<DriftTestName> = new Set(['ks', 'chisquare', 'z']);
const NUMBER_ONLY: ReadonlySet<DriftTestName> = new Set(['ks', 'wasserstein']);

/** Reference size up to which the default tests have p-values. */
export const SMALL_REFERENCE = 1000;
/** The number of distinct values up to which a numeric column is tested as categories. */
const FEW_VALUES = 5;
/** Above this many distinct reference values a numeric column is binned for JS and PSI. */
const BIN_ABOVE = 20;

export class DriftInputError extends Error {}

/** Counts per value, in key order, of both samples over the union of their values. */
interface CountTable {
  keys: string[];
  reference: Float64Array;
  current: Float64Array;
  referenceTotal: number;
  currentTotal: number;
}

function numberCounts(sorted: Float64Array): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    counts.set(String(sorted[i]), j - i);
    i = j;
  }
  return counts;
}

function countTable(reference: ReadonlyMap<string, number>, current: ReadonlyMap<string, number>): CountTable {
  const keys = [...new Set([...reference.keys(), ...current.keys()])].filter(
    (k) => (reference.get(k) ?? 0) + (current.get(k) ?? 0) > 0,
  );
  const ref = Float64Array.from(keys, (k) => reference.get(k) ?? 0);
  const cur = Float64Array.from(keys, (k) => current.get(k) ?? 0);
  return {
    keys,
    reference: ref,
    current: cur,
    referenceTotal: ref.reduce((s, v) => s + v, 0),
    currentTotal: cur.reduce((s, v) => s + v, 0),
  };
}

/** Evidently's two-proportion z-test: the share of values other than the smallest key, pooled variance. */
function proportionZ(table: CountTable, numericKeys: boolean): { z: number; p: number } {
  if (table.keys.length === 1) return { z: 0, p: 1 };
  const order = [...table.keys.keys()].sort((a, b) => {
    const ka = table.keys[a]!;
    const kb = table.keys[b]!;
    return numericKeys ? Number(ka) - Number(kb) : ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  const first = order[0]!;
  const n1 = table.referenceTotal;
  const n2 = table.currentTotal;
  const p1 = (n1 - table.reference[first]!) / n1;
  const p2 = (n2 - table.current[first]!) / n2;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return { z, p: 2 * normalSf(Math.abs(z)) };
}

function shares(counts: Float64Array, total: number): Float64Array {
  return counts.map((c) => c / total);
}

function populationStd(sorted: Float64Array): number {
  let mean = 0;
  for (const v of sorted) mean += v;
  mean /= sorted.length;
  let ss = 0;
  for (const v of sorted) ss += (v - mean) * (v - mean);
  return Math.sqrt(ss / sorted.length);
}

/** Drift of one column. Throws DriftInputError when a side has no values or the test does not fit the column. */
export function columnDrift(
  reference: ColumnSample,
  current: ColumnSample,
  options: ColumnDriftOptions = {},
): ColumnDriftResult {
  if (reference.kind !== current.kind) throw new DriftInputError('Both samples must be of the same kind');
  return reference.kind === 'number'
    ? numberDrift(reference.values, (current as { values: ArrayLike<number> }).values, options)
    : countDrift(countTable(reference.counts, (current as { counts: ReadonlyMap<string, number> }).counts), options);
}

function checkSizes(referenceSize: number, currentSize: number): void {
  if (referenceSize === 0 || currentSize === 0) throw new DriftInputError('A drift test needs values on both sides');
}

function resultMaker(test: DriftTestName, options: ColumnDriftOptions, referenceSize: number, currentSize: number) {
  const pTest = P_VALUE_TESTS.has(test);
  const threshold = options.threshold ?? (pTest ? 0.05 : 0.1);
  return (statistic: number, pValue: number | null, score: number): ColumnDriftResult => ({
    test,
    statistic,
    pValue,
    score,
    threshold,
    drifted: pTest ? score < threshold : score >= threshold,
    referenceSize,
    currentSize,
  });
}

/**
 * A numeric column: both sides sorted once; counts per value are only built where a test works on them (few distinct
 * values, or a count test asked for), since a million distinct keys would cost more than every test together.
 */
function numberDrift(
  referenceValues: ArrayLike<number>,
  currentValues: ArrayLike<number>,
  options: ColumnDriftOptions,
): ColumnDriftResult {
  const ref = sortedWithoutNaN(referenceValues);
  const cur = sortedWithoutNaN(currentValues);
  checkSizes(ref.length, cur.length);
  const test = options.test ?? defaultTest(true, ref.length, distinctUnionUpTo(ref, cur, FEW_VALUES + 1));
  const result = resultMaker(test, options, ref.length, cur.length);
  switch (test) {
    case 'ks': {
      const r = ksTwoSample(ref, cur);
      return result(r.statistic, r.pValue, r.pValue);
    }
    case 'wasserstein': {
      const distance = wassersteinDistance(ref, cur) / Math.max(populationStd(ref), 0.001);
      return result(distance, null, distance);
    }
    case 'jensenshannon':
    case 'psi':
      if (distinctUpTo(ref, BIN_ABOVE + 1) > BIN_ABOVE) {
        const edges = sturgesEdges(ref, cur);
        const r = shares(histogramCounts(ref, edges), ref.length);
        const c = shares(histogramCounts(cur, edges), cur.length);
        return result(...binnedScore(test, r, c));
      }
      return countDrift(countTable(numberCounts(ref), numberCounts(cur)), { ...options, test }, true);
    default:
      return countDrift(countTable(numberCounts(ref), numberCounts(cur)), { ...options, test }, true);
  }
}

function binnedScore(test: 'jensenshannon' | 'psi', ref: Float64Array, cur: Float64Array): [number, null, number] {
  const value =
    test === 'psi'
      ? populationStabilityIndex(fillEmptyShares(ref), fillEmptyShares(cur))
      : jensenShannonDistance(ref, cur, 2);
  return [value, null, value];
}

/** A test on counts per value: categories, or numbers with few distinct values. */
function countDrift(table: CountTable, options: ColumnDriftOptions, numericKeys = false): ColumnDriftResult {
  checkSizes(table.referenceTotal, table.currentTotal);
  const test = options.test ?? defaultTest(false, table.referenceTotal, table.keys.length);
  if (NUMBER_ONLY.has(test)) throw new DriftInputError(`The ${test} test needs a numeric column`);
  const result = resultMaker(test, options, table.referenceTotal, table.currentTotal);
  switch (test) {
    case 'chisquare': {
      const r = chiSquareContingency(table.keys.length === 1 ? [[1], [1]] : [[...table.reference], [...table.current]]);
      return result(r.statistic, r.pValue, r.pValue);
    }
    case 'z': {
      const { z, p } = proportionZ(table, numericKeys);
      return result(z, p, p);
    }
    default:
      return result(
        ...binnedScore(
          test as 'jensenshannon' | 'psi',
          shares(table.reference, table.referenceTotal),
          shares(table.current, table.currentTotal),
        ),
      );
  }
}

/** Evidently's default test for a column (registry.py `_get_default_stattest`). */
export function defaultTest(numeric: boolean, referenceSize: number, distinct: number): DriftTestName {
  if (referenceSize <= SMALL_REFERENCE) {
    if (numeric && distinct > FEW_VALUES) return 'ks';
    return distinct > 2 ? 'chisquare' : 'z';
  }
  if (numeric && distinct > FEW_VALUES) return 'wasserstein';
  return 'jensenshannon';
}

export interface DatasetDriftResult {
  driftedColumns: number;
  columns: number;
  share: number;
  drifted: boolean;
}

/** Dataset drift: at least `share` (default ½) of the tested columns drifted. */
export function datasetDrift(results: ColumnDriftResult[], share = 0.5): DatasetDriftResult {
  const driftedColumns = results.filter((r) => r.drifted).length;
  const columns = results.length;
  return { driftedColumns, columns, share, drifted: columns > 0 && driftedColumns / columns >= share };
}
