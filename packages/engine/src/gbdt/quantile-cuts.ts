// Cut points at equal-count quantiles of a feature's values, exact, without sorting every value.
import { binFinder } from './bin-finder.js';

/** Columns up to this many finite values are simply sorted; larger ones go through buckets (see bucketedRanks). */
const SORT_ALL = 1 << 17;
/** Buckets for large columns: pivots from every ~n/BUCKETS-th value of a sorted stride sample. */
const BUCKETS = 4096;

/**
 * At most `maxValueBins` value bins: every distinct value its own bin when there are few enough, otherwise the k-th
 * cut follows the smallest value v with count(<= v) >= k n / B and sits halfway to the next distinct value (a heavy
 * value that spans several shares gets one cut). The same cuts as sorting all the values, for any column size.
 */
export function quantileCuts(values: Float64Array, maxValueBins: number, sortAll = SORT_ALL): Float64Array {
  const distinct = distinctValues(values, maxValueBins);
  if (distinct !== null) {
    const cuts = new Float64Array(Math.max(0, distinct.length - 1));
    for (let i = 1; i < distinct.length; i++) cuts[i - 1] = midpoint(distinct[i - 1]!, distinct[i]!);
    return cuts;
  }
  const finite = finiteValues(values);
  const n = finite.length;
  const ranks: number[] = [];
  for (let k = 1; k < maxValueBins; k++) ranks.push(Math.ceil((k * n) / maxValueBins) - 1);
  const found = n <= sortAll ? sortedRanks(finite, ranks) : bucketedRanks(finite, ranks);
  const cuts: number[] = [];
  for (const { value, next } of found) {
    if (next === undefined) break;
    const cut = midpoint(value, next);
    if (cuts.length === 0 || cut > cuts[cuts.length - 1]!) cuts.push(cut);
  }
  return Float64Array.from(cuts);
}

/** For each rank (ascending): the value of that rank in sorted order, and the smallest value above it. */
type RankValue = { value: number; next: number | undefined };

function sortedRanks(values: Float64Array, ranks: number[]): RankValue[] {
  const s = Float64Array.from(values).sort();
  return ranks.map((r) => {
    const value = s[r]!;
    let lo = r + 1;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s[mid]! <= value) lo = mid + 1;
      else hi = mid;
    }
    return { value, next: lo < s.length ? s[lo] : undefined };
  });
}

/**
 * The same answer as sortedRanks in two passes instead of a sort (a sort of 800k values costs ~100 ms a column):
 * pivots from a sorted sample split the values into buckets, one pass counts each bucket (and keeps its minimum),
 * a second collects only the buckets that hold a wanted rank, and those few small buckets are sorted.
 */
function bucketedRanks(values: Float64Array, ranks: number[]): RankValue[] {
  const n = values.length;
  const stride = Math.max(1, Math.floor(n / (BUCKETS * 8)));
  const sample = new Float64Array(Math.ceil(n / stride));
  for (let i = 0, k = 0; i < n; i += stride) sample[k++] = values[i]!;
  sample.sort();
  const pivots: number[] = [];
  for (let k = 1; k < BUCKETS; k++) {
    const p = sample[Math.floor((k * sample.length) / BUCKETS)]!;
    if (pivots.length === 0 || p > pivots[pivots.length - 1]!) pivots.push(p);
  }
  // Bucket b holds the values v with exactly b pivots <= v.
  const bucketOf = binFinder(Float64Array.from(pivots));
  const nBuckets = pivots.length + 1;
  const counts = new Int32Array(nBuckets);
  const minimum = new Float64Array(nBuckets).fill(Infinity);
  const bucket = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const b = bucketOf(values[i]!);
    bucket[i] = b;
    counts[b]!++;
    if (values[i]! < minimum[b]!) minimum[b] = values[i]!;
  }
  const before = new Int32Array(nBuckets + 1);
  for (let b = 0; b < nBuckets; b++) before[b + 1] = before[b]! + counts[b]!;
  const wanted = new Uint8Array(nBuckets);
  const bucketOfRank = ranks.map((r) => {
    let lo = 0;
    let hi = nBuckets - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (before[mid]! <= r) lo = mid;
      else hi = mid - 1;
    }
    wanted[lo] = 1;
    return lo;
  });
  const members = new Map<number, Float64Array>();
  const filled = new Int32Array(nBuckets);
  for (let b = 0; b < nBuckets; b++) if (wanted[b] === 1) members.set(b, new Float64Array(counts[b]!));
  for (let i = 0; i < n; i++) {
    const b = bucket[i]!;
    if (wanted[b] === 1) members.get(b)![filled[b]!++] = values[i]!;
  }
  for (const sorted of members.values()) sorted.sort();
  // The smallest value of the first non-empty bucket after b: everything there exceeds everything in b.
  const nextMinimum = new Float64Array(nBuckets + 1).fill(Infinity);
  for (let b = nBuckets - 1; b >= 0; b--) nextMinimum[b] = counts[b]! > 0 ? minimum[b]! : nextMinimum[b + 1]!;
  return ranks.map((r, j) => {
    const b = bucketOfRank[j]!;
    const sorted = members.get(b)!;
    const value = sorted[r - before[b]!]!;
    let k = r - before[b]! + 1;
    while (k < sorted.length && sorted[k]! <= value) k++;
    const next = k < sorted.length ? sorted[k]! : nextMinimum[b + 1]!;
    return { value, next: next < Infinity ? next : undefined };
  });
}

/** The sorted distinct finite values, or null when there are more than `max`. */
function distinctValues(values: Float64Array, max: number): Float64Array | null {
  const seen = new Set<number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v > -Infinity && v < Infinity && !seen.has(v)) {
      if (seen.size === max) return null;
      seen.add(v);
    }
  }
  return Float64Array.from(seen).sort();
}

function finiteValues(values: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! > -Infinity && values[i]! < Infinity) n++;
  if (n === values.length) return values;
  const finite = new Float64Array(n);
  for (let i = 0, k = 0; i < values.length; i++)
    if (values[i]! > -Infinity && values[i]! < Infinity) finite[k++] = values[i]!;
  return finite;
}

/** A cut strictly above a and at most b, even for neighbouring floats or huge magnitudes. */
function midpoint(a: number, b: number): number {
  const mid = a / 2 + b / 2;
  return mid > a && mid <= b ? mid : b;
}
