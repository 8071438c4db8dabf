// A design restricted to some of its columns, for screening: the lambda path fits on the columns the strong rule
// keeps and checks the rest afterwards.
import type { DesignMatrix, DesignPart, TiedGroup } from '../preprocess/design-matrix.js';

export interface SubDesign {
  design: DesignMatrix;
  /** Original index of each kept column, in the sub-design's column order. */
  columns: Int32Array;
}

/** Keeps the columns with keep[j] = 1; a one-hot block keeps its chosen categories (the others encode as all-zero). */
export function subDesign(x: DesignMatrix, keep: Uint8Array): SubDesign {
  const columns: number[] = [];
  const parts: DesignPart[] = [];
  const position = new Int32Array(x.width).fill(-1);
  for (const part of x.parts) {
    if (part.kind === 'dense') {
      if (!keep[part.index]) continue;
      position[part.index] = columns.length;
      parts.push({ kind: 'dense', index: columns.length, values: part.values });
      columns.push(part.index);
      continue;
    }
    const recode = new Int32Array(part.size).fill(-1);
    const start = columns.length;
    for (let k = 0; k < part.size; k++) {
      if (!keep[part.start + k]) continue;
      recode[k] = columns.length - start;
      position[part.start + k] = columns.length;
      columns.push(part.start + k);
    }
    const size = columns.length - start;
    if (size === 0) continue;
    if (size === part.size) {
      parts.push({ kind: 'block', start, size, codes: part.codes });
      continue;
    }
    const codes = Int32Array.from(part.codes, (c) => (c >= 0 ? recode[c]! : -1));
    parts.push({ kind: 'block', start, size, codes });
  }
  // A tied group survives only whole: its proportional ridge step needs every member.
  const tied: TiedGroup[] = (x.tied ?? []).flatMap((group) =>
    group.columns.every((j) => keep[j])
      ? [{ columns: group.columns.map((j) => position[j]!), scales: group.scales }]
      : [],
  );
  return { design: { nRows: x.nRows, width: columns.length, parts, tied }, columns: Int32Array.from(columns) };
}
