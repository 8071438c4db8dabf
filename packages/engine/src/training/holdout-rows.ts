// The frame rows a trainer held out: the same target encoding and seeded split as prepareTraining, so a version's
// holdout can be scored again later (fairness slices) without having kept the row list.
import type { Frame } from '../frame/frame.js';
import { encodeTarget } from '../preprocess/encode-target.js';
import { holdoutSplit } from '../validation/holdout-split.js';

/** Ascending frame row indices of the holdout of a run trained with `split` on `frame` (rows in snapshot order). */
export function holdoutRows(
  frame: Frame,
  options: { target: string; task: 'classification' | 'regression' },
  split: { testFraction: number; seed: number },
): Int32Array {
  const encoded = encodeTarget(frame, options.target, options.task);
  const { test } = holdoutSplit(encoded.rows.length, {
    testFraction: split.testFraction,
    seed: split.seed,
    ...(encoded.classes === undefined ? {} : { stratify: Int32Array.from(encoded.y) }),
  });
  const rows = new Int32Array(test.length);
  for (let i = 0; i < test.length; i++) rows[i] = encoded.rows[test[i]!]!;
  return rows;
}
