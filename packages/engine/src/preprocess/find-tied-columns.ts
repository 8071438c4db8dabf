// Finds encoded columns that are affine copies of one another (e.g. "No internet service" in six category blocks).
import type { DesignMatrix, TiedGroup } from './design-matrix.js';

/**
 * Only two-valued columns are considered (indicators and 0/1 numbers), where such ties arise from how data is coded.
 * A two-valued column is u + (v - u) * 1[C] with u its value in row 0 and C the rows that differ from row 0, so two
 * columns are tied exactly when their sets C are equal. Candidates are grouped by an order-independent hash of C and
 * then compared exactly.
 */
export function findTiedColumns(x: Omit<DesignMatrix, 'tied'>): TiedGroup[] {
  const n = x.nRows;
  if (n === 0) return [];
  const candidates = new Map<string, { column: number; step: number; members: () => Int32Array }[]>();
  const add = (column: number, step: number, count: number, h1: number, h2: number, members: () => Int32Array) => {
    if (count === 0) return;
    const key = `${count}:${h1}:${h2}`;
    let list = candidates.get(key);
    if (list === undefined) candidates.set(key, (list = []));
    list.push({ column, step, members });
  };

  for (const part of x.parts) {
    if (part.kind === 'dense') {
      const values = part.values;
      const u = values[0]!;
      let v = u;
      let twoValued = true;
      let count = 0;
      let h1 = 0;
      let h2 = 0;
      for (let i = 1; i < n && twoValued; i++) {
        const value = values[i]!;
        if (value === u) continue;
        if (v === u) v = value;
        else if (value !== v) twoValued = false;
        count++;
        h1 = (h1 + mix1(i)) >>> 0;
        h2 = (h2 ^ mix2(i)) >>> 0;
      }
      if (!twoValued) continue;
      add(part.index, v - u, count, h1, h2, () => Int32Array.from(rowsWhere(n, (i) => values[i] !== u)));
      continue;
    }
    const { start, size, codes } = part;
    // Hash of each category's rows in one pass; the category of row 0 takes the complement (sum and xor invert).
    const counts = new Int32Array(size);
    const h1 = new Float64Array(size);
    const h2 = new Float64Array(size);
    let all1 = 0;
    let all2 = 0;
    for (let i = 0; i < n; i++) {
      all1 = (all1 + mix1(i)) >>> 0;
      all2 = (all2 ^ mix2(i)) >>> 0;
      const c = codes[i]!;
      if (c < 0) continue;
      counts[c] = counts[c]! + 1;
      h1[c] = (h1[c]! + mix1(i)) >>> 0;
      h2[c] = (h2[c]! ^ mix2(i)) >>> 0;
    }
    const first = codes[0]!;
    for (let k = 0; k < size; k++) {
      if (k === first) {
        const members = () => Int32Array.from(rowsWhere(n, (i) => codes[i] !== k));
        add(start + k, -1, n - counts[k]!, (all1 - h1[k]! + 4294967296) % 4294967296, (all2 ^ h2[k]!) >>> 0, members);
      } else {
        add(start + k, 1, counts[k]!, h1[k]!, h2[k]!, () => Int32Array.from(rowsWhere(n, (i) => codes[i] === k)));
      }
    }
  }

  const groups: TiedGroup[] = [];
  for (const list of candidates.values()) {
    if (list.length < 2) continue;
    // Exact comparison: split the hash bucket into classes of identical row sets.
    const classes: { sets: Int32Array; items: typeof list }[] = [];
    for (const item of list) {
      const set = item.members();
      const match = classes.find((c) => sameRows(c.sets, set));
      if (match) match.items.push(item);
      else classes.push({ sets: set, items: [item] });
    }
    for (const { items } of classes) {
      if (items.length < 2) continue;
      const ref = items[0]!;
      groups.push({ columns: items.map((i) => i.column), scales: items.map((i) => i.step / ref.step) });
    }
  }
  return groups;
}

function* rowsWhere(n: number, test: (i: number) => boolean): Generator<number> {
  for (let i = 0; i < n; i++) if (test(i)) yield i;
}

function sameRows(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function mix1(i: number): number {
  let h = Math.imul(i + 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function mix2(i: number): number {
  let h = Math.imul(i ^ 0x27d4eb2f, 0x165667b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x27d4eb2d);
  return (h ^ (h >>> 13)) >>> 0;
}
