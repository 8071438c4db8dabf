// Turns one segment column into a group per row: its categories, or quantile bins of a numeric column.
import { EngineError } from '../errors.js';
import { compareStrings } from '../preprocess/fit-preprocessing.js';

/** A column to slice by: categories (null = missing) or numbers (NaN = missing), one value per row. */
export interface SegmentColumn {
  name: string;
  values: ArrayLike<number> | readonly (string | number | null)[];
}

/** The label of rows whose segment value is missing. */
export const MISSING_GROUP = '(missing)';

export interface SegmentGroups {
  name: string;
  /** Group labels in display order (categories by code unit, bins ascending, missing last). */
  labels: string[];
  /** Index into `labels` per row. */
  group: Int32Array;
  /** Bin edges (lowest, cut points…, highest) when the column was binned; undefined for categories. */
  edges: number[] | undefined;
}

/**
 * Numbers with at most `bins` distinct values are categories (`String(value)`); more are cut at numpy's linear
 * quantiles i / bins into right-closed bins, the first one closed on the left as well (pandas `qcut` with
 * `duplicates='drop'`).
 */
export function segmentGroups(column: SegmentColumn, nRows: number, bins: number): SegmentGroups {
  const { name, values } = column;
  if (values.length !== nRows) {
    throw new EngineError('length_mismatch', `Segment "${name}" has ${values.length} values, expected ${nRows}`, {
      column: name,
    });
  }
  const numeric = isNumeric(values);
  if (numeric === undefined) return categoryGroups(name, values as readonly (string | number | null)[]);
  const distinct = new Set<number>();
  for (let i = 0; i < numeric.length && distinct.size <= bins; i++) {
    const v = numeric[i]!;
    if (Number.isFinite(v)) distinct.add(v === 0 ? 0 : v);
  }
  if (distinct.size <= bins)
    return categoryGroups(
      name,
      Array.from(numeric, (v) => (Number.isFinite(v) ? v : null)),
    );
  return binnedGroups(name, numeric, bins);
}

/** The values as numbers when every present one is a number; undefined when any is text. */
function isNumeric(values: SegmentColumn['values']): ArrayLike<number> | undefined {
  if (!Array.isArray(values)) return values as ArrayLike<number>;
  const list = values as readonly (string | number | null)[];
  if (list.some((v) => typeof v === 'string')) return undefined;
  return Float64Array.from(list, (v) => (typeof v === 'number' ? v : NaN));
}

function categoryGroups(name: string, values: readonly (string | number | null)[]): SegmentGroups {
  const present = new Set<string>();
  let missing = false;
  for (const v of values) {
    if (v === null || (typeof v === 'number' && !Number.isFinite(v))) missing = true;
    else present.add(String(v));
  }
  // Numbers keep numeric order; text sorts by code unit as the engine's categories do.
  const allNumbers = values.every((v) => v === null || typeof v === 'number');
  const labels = [...present].sort(allNumbers ? (a, b) => Number(a) - Number(b) : compareStrings);
  if (missing) labels.push(MISSING_GROUP);
  const index = new Map(labels.map((l, i) => [l, i]));
  const group = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const absent = v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v));
    group[i] = index.get(absent ? MISSING_GROUP : String(v))!;
  }
  return { name, labels, group, edges: undefined };
}

function binnedGroups(name: string, values: ArrayLike<number>, bins: number): SegmentGroups {
  const sorted = Float64Array.from(Array.prototype.filter.call(values, Number.isFinite) as number[]).sort();
  const edges: number[] = [];
  for (let i = 0; i <= bins; i++) {
    const edge = quantile(sorted, i / bins);
    if (edges.length === 0 || edge > edges[edges.length - 1]!) edges.push(edge);
  }
  const nBins = edges.length - 1;
  const labels = Array.from({ length: nBins }, (_, b) =>
    b === 0 ? `[${format(edges[0]!)}, ${format(edges[1]!)}]` : `(${format(edges[b]!)}, ${format(edges[b + 1]!)}]`,
  );
  let missing = false;
  const group = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      missing = true;
      group[i] = nBins;
      continue;
    }
    // First bin whose upper edge holds v (a handful of bins: a linear scan beats a search).
    let b = 0;
    while (b < nBins - 1 && v > edges[b + 1]!) b++;
    group[i] = b;
  }
  if (missing) labels.push(MISSING_GROUP);
  return { name, labels, group, edges };
}

/** numpy's default (linear) quantile of sorted values. */
function quantile(sorted: Float64Array, q: number): number {
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

function format(value: number): string {
  return String(Number(value.toPrecision(6)));
}
