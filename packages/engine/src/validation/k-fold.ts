// K-fold cross-validation indices, as scikit-learn's KFold.
import { checkK, checkRows, checkSeed, foldsFromAssignment, type Fold } from './fold.js';
import { seededRandom, shuffle as shuffleInPlace } from './random.js';

export interface KFoldOptions {
  k: number;
  /** Shuffle rows before cutting them into folds (default false: consecutive blocks). */
  shuffle?: boolean;
  /** Seed of the shuffle (mulberry32, so not scikit-learn's draw); default 0. */
  seed?: number;
}

/**
 * The first n % k folds test on ceil(n / k) rows, the rest on floor(n / k). Without shuffling the folds are exactly
 * scikit-learn's `KFold(k).split`; with it, the same seed gives the same folds on every platform.
 */
export function kFold(n: number, opts: KFoldOptions): Fold[] {
  const { k, shuffle = false, seed = 0 } = opts;
  checkK(k);
  checkSeed(seed);
  checkRows(n, k);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  if (shuffle) shuffleInPlace(order, seededRandom(seed));
  const assignment = new Int32Array(n);
  let position = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    for (let i = 0; i < size; i++) assignment[order[position++]!] = f;
  }
  return foldsFromAssignment(assignment, k);
}
