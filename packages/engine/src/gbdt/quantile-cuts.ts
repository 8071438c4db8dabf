// Cut points at equal-count quantiles of a feature's values, exact, without sorting every value.
import { binColumn, binTable, findBin } from './bin-finder.js';

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
  return quantileBins(values, maxValueBins, undefined, sortAll).cuts;
}

/** Allocates a column's bin codes once its number of value bins is known (the missing bin comes on top). */
export type BinCodeAllocator = (valueBins: number) => Uint8Array | Uint16Array;

/**
 * quantileCuts plus, with `allocate`, every value's bin (missing values in bin `cuts.length + 1`). Large columns reuse
 * the buckets the cuts came from: a bucket without a cut inside holds a single bin, so only the few values in buckets
 * that a cut splits need a search.
 */
export function quantileBins(
  values: Float64Array,
  maxValueBins: number,
  allocate: BinCodeAllocator | undefined,
  sortAll = SORT_ALL,
  scratch?: Int32Array,
): { cuts: Float64Array; codes: Uint8Array | Uint16Array | undefined } {
  const binAll = (cuts: Float64Array) => {
    if (allocate === undefined) return { cuts, codes: undefined };
    const codes = allocate(cuts.length + 1);
    binColumn(cuts, values, codes, cuts.length + 1);
    return { cuts, codes };
  };
  const distinct = distinctValues(values, maxValueBins);
  if (distinct !== null) {
    const cuts = new Float64Array(Math.max(0, distinct.length - 1));
    for (let i = 1; i < distinct.length; i++) cuts[i - 1] = midpoint(distinct[i - 1]!, distinct[i]!);
    return binAll(cuts);
  }
  const finite = finiteValues(values);
  const n = finite.length;
  const ranks: number[] = [];
  for (let k = 1; k < maxValueBins; k++) ranks.push(Math.ceil((k * n) / maxValueBins) - 1);
  if (n <= sortAll) return binAll(cutsAt(sortedRanks(finite, ranks)));
  const buckets = bucketize(finite, scratch);
  const cuts = cutsAt(bucketedRanks(finite, ranks, buckets));
  // With missing values the buckets cover the finite values only: bin the column directly.
  if (allocate === undefined || finite !== values) return binAll(cuts);
  const codes = allocate(cuts.length + 1);
  binByBuckets(cuts, buckets, values, codes);
  return { cuts, codes };
}

/** Cut points from the ranks' values: halfway to the next distinct value, each heavy value cut once. */
function cutsAt(found: RankValue[]): Float64Array {
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

/** Values split into buckets by pivots drawn from a sorted sample: bucket b holds the values with b pivots <= v. */
interface Buckets {
  pivots: Float64Array;
  bucket: Int32Array;
  counts: Int32Array;
}

/**
 * `scratch` (at least as long as `values`) holds the bucket numbers when given: a fresh 4-byte-per-value array per
 * column costs more in page faults than the whole counting pass (measured 14 ms vs 1 ms for 800k values on a VM).
 */
function bucketize(values: Float64Array, scratch?: Int32Array): Buckets {
  const n = values.length;
  const stride = Math.max(1, Math.floor(n / (BUCKETS * 8)));
  const sample = new Float64Array(Math.ceil(n / stride));
  for (let i = 0, k = 0; i < n; i += stride) sample[k++] = values[i]!;
  sample.sort();
  const chosen: number[] = [];
  for (let k = 1; k < BUCKETS; k++) {
    const p = sample[Math.floor((k * sample.length) / BUCKETS)]!;
    if (chosen.length === 0 || p > chosen[chosen.length - 1]!) chosen.push(p);
  }
  const pivots = Float64Array.from(chosen);
  const bucket = scratch !== undefined && scratch.length >= n ? scratch.subarray(0, n) : new Int32Array(n);
  binColumn(pivots, values, bucket, -1);
  const counts = new Int32Array(pivots.length + 1);
  for (let i = 0; i < n; i++) counts[bucket[i]!]!++;
  return { pivots, bucket, counts };
}

/**
 * The same answer as sortedRanks in two passes instead of a sort (a sort of 800k values costs ~100 ms a column):
 * after bucketize's counting pass, a second pass collects only the buckets that hold a wanted rank (and the next
 * non-empty bucket after each, whose smallest value may be a rank's `next`), and those few small buckets are sorted.
 * No per-bucket minimum in the counting pass: its unpredictable branch made the pass twice as slow.
 */
function bucketedRanks(values: Float64Array, ranks: number[], buckets: Buckets): RankValue[] {
  const n = values.length;
  const { bucket, counts } = buckets;
  const nBuckets = counts.length;
  const before = new Int32Array(nBuckets + 1);
  for (let b = 0; b < nBuckets; b++) before[b + 1] = before[b]! + counts[b]!;
  const nextFilled = (b: number) => {
    let next = b + 1;
    while (next < nBuckets && counts[next] === 0) next++;
    return next;
  };
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
  for (const b of new Set(bucketOfRank)) if (nextFilled(b) < nBuckets) wanted[nextFilled(b)] = 1;
  // The collected buckets' values side by side in one array, each bucket's slice sorted.
  const at = new Int32Array(nBuckets);
  let total = 0;
  for (let b = 0; b < nBuckets; b++) {
    at[b] = total;
    if (wanted[b] === 1) total += counts[b]!;
  }
  const collected = new Float64Array(total);
  const filled = at.slice();
  for (let i = 0; i < n; i++) {
    const b = bucket[i]!;
    if (wanted[b] === 1) collected[filled[b]!++] = values[i]!;
  }
  for (let b = 0; b < nBuckets; b++) if (wanted[b] === 1) collected.subarray(at[b]!, filled[b]!).sort();
  return ranks.map((r, j) => {
    const b = bucketOfRank[j]!;
    const sorted = collected.subarray(at[b]!, filled[b]!);
    const value = sorted[r - before[b]!]!;
    let k = r - before[b]! + 1;
    while (k < sorted.length && sorted[k]! <= value) k++;
    if (k < sorted.length) return { value, next: sorted[k]! };
    // Everything in a later bucket exceeds everything in b: the next value is the first filled bucket's smallest.
    const after = nextFilled(b);
    return { value, next: after < nBuckets ? collected[at[after]!]! : undefined };
  });
}

/** Bins every (finite) value through its bucket: one lookup, or a search in the buckets that a cut splits. */
function binByBuckets(cuts: Float64Array, buckets: Buckets, values: Float64Array, codes: Uint8Array | Uint16Array) {
  const { pivots, bucket } = buckets;
  const table = binTable(cuts);
  // Bucket b spans [pivots[b-1], pivots[b]): one bin when no cut lies above its lower pivot and at or below a value
  // in it, i.e. when the cuts <= its lower end equal the cuts below its upper end.
  const single = new Int32Array(pivots.length + 1);
  for (let b = 0; b <= pivots.length; b++) {
    const low = b === 0 ? 0 : findBin(table, pivots[b - 1]!);
    const high = b === pivots.length ? cuts.length : countBelow(cuts, pivots[b]!);
    single[b] = low === high ? low : -1;
  }
  for (let i = 0; i < codes.length; i++) {
    const bin = single[bucket[i]!]!;
    codes[i] = bin >= 0 ? bin : findBin(table, values[i]!);
  }
}

/** How many cuts are strictly below v. */
function countBelow(cuts: Float64Array, v: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cuts[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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
