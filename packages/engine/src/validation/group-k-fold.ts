// Group k-fold indices: every group's rows in one fold, folds balanced by size as scikit-learn's GroupKFold.
import { EngineError } from '../errors.js';
import { checkK, foldsFromAssignment, type Fold } from './fold.js';

export interface GroupKFoldOptions {
  k: number;
}

/**
 * Groups, largest first, each go to the fold with the fewest rows so far (the first such fold on a tie). Groups of
 * equal size are taken in descending group order, which is what NumPy's argsort gives scikit-learn for up to 16
 * groups; with more groups and tied sizes scikit-learn's order depends on NumPy's unstable sort, so folds may differ
 * from it there (they are still exclusive and balanced). Deterministic: no seed. `too_few_groups` when there are
 * fewer than k distinct groups (including no rows at all).
 */
export function groupKFold(groups: Int32Array, opts: GroupKFoldOptions): Fold[] {
  const { k } = opts;
  checkK(k);
  const distinct = [...new Set(groups)].sort((a, b) => a - b);
  if (distinct.length < k) {
    throw new EngineError('too_few_groups', `Cannot split ${distinct.length} groups into ${k} folds`, {
      groups: distinct.length,
      k,
    });
  }
  const index = new Map(distinct.map((g, i) => [g, i]));
  const sizes = new Float64Array(distinct.length);
  for (const g of groups) sizes[index.get(g)!]!++;
  const order = distinct.map((_, i) => i).sort((a, b) => sizes[b]! - sizes[a]! || b - a);
  const foldRows = new Float64Array(k);
  const foldOfGroup = new Int32Array(distinct.length);
  for (const g of order) {
    let lightest = 0;
    for (let f = 1; f < k; f++) if (foldRows[f]! < foldRows[lightest]!) lightest = f;
    foldRows[lightest]! += sizes[g]!;
    foldOfGroup[g] = lightest;
  }
  return foldsFromAssignment(
    Int32Array.from(groups, (g) => foldOfGroup[index.get(g)!]!),
    k,
  );
}
