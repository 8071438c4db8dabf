// Splitting a node's rows between its children, in two phases so that several threads can share one node.

/**
 * Phase one over rows[from..to): rows going left are copied in order to left[from..), the others in order to
 * right[from..); returns how many went left. Branch-free: every row is written to both sides and only the side it
 * belongs to advances, as the direction is unpredictable.
 */
export function splitRows(
  rows: Int32Array,
  from: number,
  to: number,
  codes: Uint8Array | Uint16Array,
  goLeft: Uint8Array,
  left: Int32Array,
  right: Int32Array,
): number {
  let l = from;
  let r = from;
  for (let i = from; i < to; i++) {
    const row = rows[i]!;
    const go = goLeft[codes[row]!]!;
    left[l] = row;
    right[r] = row;
    l += go;
    r += 1 - go;
  }
  return l - from;
}

/** Phase two: the part's left rows go to rows[leftTo..), its right rows to rows[rightTo..). */
export function placeRows(
  rows: Int32Array,
  from: number,
  to: number,
  leftCount: number,
  left: Int32Array,
  right: Int32Array,
  leftTo: number,
  rightTo: number,
): void {
  rows.set(left.subarray(from, from + leftCount), leftTo);
  rows.set(right.subarray(from, to - leftCount), rightTo);
}

/** Stable partition of rows[start..end) on one thread; returns where the right side begins. */
export function partitionRows(
  rows: Int32Array,
  start: number,
  end: number,
  codes: Uint8Array | Uint16Array,
  goLeft: Uint8Array,
  left: Int32Array,
  right: Int32Array,
): number {
  const count = splitRows(rows, start, end, codes, goLeft, left, right);
  placeRows(rows, start, end, count, left, right, start, start + count);
  return start + count;
}
