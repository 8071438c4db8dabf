// Replaces target-encoded category features by their numeric model columns, for frames and for read records.
import type { FeatureSpec, TargetEncoding } from '../artifact/model-artifact.js';
import type { Column } from '../frame/column.js';
import { Frame } from '../frame/frame.js';
import { categoryLookup } from './category-lookup.js';
import { categoryIndices } from './feature-values.js';

/** The frame plus every output column (a same-named column of the input is replaced). */
export function targetEncodeFrame(encoding: TargetEncoding, frame: Frame): Frame {
  const added: Column[] = [];
  for (const column of encoding.columns) {
    const indices = categoryIndices(frame, { name: column.feature, type: 'category', categories: column.categories });
    for (const output of column.outputs) {
      added.push({ kind: 'number', name: output.name, values: encodeIndices(indices, output) });
    }
  }
  const replaced = new Set(added.map((c) => c.name));
  const kept = frame.names.filter((name) => !replaced.has(name)).map((name) => frame.column(name));
  return Frame.fromColumns([...kept, ...added]);
}

/** Each row's category value (index into the categories, -1 = missing or unseen → the prior). */
export function encodeIndices(indices: Int32Array, output: { prior: number; values: ArrayLike<number> }): Float64Array {
  const { prior, values } = output;
  const out = new Float64Array(indices.length);
  for (let i = 0; i < out.length; i++) {
    const k = indices[i]!;
    out[i] = k >= 0 ? values[k]! : prior;
  }
  return out;
}

/**
 * Records read in `features` order (null = missing) to rows in model-column order: each target-encoded feature
 * becomes its outputs' values, found exactly as `targetEncodeFrame` finds them, so both paths give the same numbers.
 */
export function targetEncodeRows(
  encoding: TargetEncoding,
  features: FeatureSpec[],
  rows: (number | string | null)[][],
): (number | string | null)[][] {
  const byFeature = new Map(encoding.columns.map((c) => [c.feature, c]));
  const plan = features.map((spec) => {
    const column = byFeature.get(spec.name);
    return column === undefined ? undefined : { lookup: categoryLookup(column.categories), outputs: column.outputs };
  });
  return rows.map((row) => {
    const out: (number | string | null)[] = [];
    plan.forEach((step, f) => {
      const value = row[f] ?? null;
      if (step === undefined) {
        out.push(value);
        return;
      }
      const k = typeof value === 'string' ? step.lookup.find(value) : -1;
      for (const output of step.outputs) out.push(k >= 0 ? output.values[k]! : output.prior);
    });
    return out;
  });
}
