// Stratified k-fold indices with scikit-learn's StratifiedKFold allocation.
import { EngineError } from '../errors.js';
import { checkK, checkRows, checkSeed, foldsFromAssignment, type Fold } from './fold.js';
import { seededRandom, shuffle as shuffleInPlace } from './random.js';

export interface StratifiedKFoldOptions {
  k: number;
  /** Shuffle which rows of each class go to which fold (default false: in row order). */
  shuffle?: boolean;
  /** Seed of the shuffle (mulberry32, so not scikit-learn's draw); default 0. */
  seed?: number;
}

/**
 * Each class's rows are spread so that every fold holds floor or ceil of (class size / k) of them, and fold sizes
 * differ by at most one. Without shuffling the folds are exactly scikit-learn's `StratifiedKFold(k).split`.
 * Throws `too_few_rows` when every class has fewer than k rows (scikit-learn raises there and only warns when some
 * class does).
 */
export function stratifiedKFold(labels: Int32Array, opts: StratifiedKFoldOptions): Fold[] {
  const { k, shuffle = false, seed = 0 } = opts;
  checkK(k);
  checkSeed(seed);
  const n = labels.length;
  checkRows(n, k);
  // Classes numbered in order of first appearance, as scikit-learn encodes them.
  const classOf = new Map<number, number>();
  const encoded = new Int32Array(n);
  const counts: number[] = [];
  for (let row = 0; row < n; row++) {
    let c = classOf.get(labels[row]!);
    if (c === undefined) {
      c = counts.length;
      classOf.set(labels[row]!, c);
      counts.push(0);
    }
    encoded[row] = c;
    counts[c]!++;
  }
  if (counts.every((count) => count < k)) {
    throw new EngineError('too_few_rows', `Every class has fewer than k = ${k} rows`, { k, largestClass: max(counts) });
  }
  const random = shuffle ? seededRandom(seed) : undefined;
  // Rows sorted by class are dealt to folds 0, 1, ..., k-1, 0, 1, ...: class c holds sorted positions
  // [start, start + count), of which fold f gets those congruent to f mod k.
  const assignment = new Int32Array(n);
  const rowsOfClass = counts.map(() => [] as number[]);
  for (let row = 0; row < n; row++) rowsOfClass[encoded[row]!]!.push(row);
  let start = 0;
  for (let c = 0; c < counts.length; c++) {
    const count = counts[c]!;
    const foldsForClass = new Int32Array(count);
    let filled = 0;
    for (let f = 0; f < k; f++) {
      const first = start + ((((f - start) % k) + k) % k);
      const share = first >= start + count ? 0 : Math.floor((start + count - 1 - first) / k) + 1;
      foldsForClass.fill(f, filled, filled + share);
      filled += share;
    }
    if (random !== undefined) shuffleInPlace(foldsForClass, random);
    rowsOfClass[c]!.forEach((row, i) => (assignment[row] = foldsForClass[i]!));
    start += count;
  }
  return foldsFromAssignment(assignment, k);
}

function max(values: number[]): number {
  return values.reduce((a, b) => Math.max(a, b), 0);
}
