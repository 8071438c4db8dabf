// Compact aligned text tables for human output: two spaces between columns, numbers aligned right.

export type Cell = string | number | null | undefined;

export interface TableOptions {
  /** Column indexes to align right; by default every column whose cells are all numbers (or empty). */
  alignRight?: number[];
}

/** Formats rows under headers (or none, for key/value blocks) as aligned lines, ending without a newline. */
export function formatTable(headers: string[] | null, rows: Cell[][], opts: TableOptions = {}): string {
  const texts = rows.map((row) => row.map(cellText));
  const width = Math.max(headers?.length ?? 0, ...texts.map((row) => row.length));
  const right = new Set(opts.alignRight ?? numericColumns(rows, width));
  const all = headers ? [headers, ...texts] : texts;
  const widths = Array.from({ length: width }, (_, col) => Math.max(0, ...all.map((row) => (row[col] ?? '').length)));
  return all
    .map((row) =>
      widths
        .map((w, col) => {
          const text = row[col] ?? '';
          return right.has(col) ? text.padStart(w) : text.padEnd(w);
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  return String(cell).replace(/\s*\n\s*/g, ' ');
}

function numericColumns(rows: Cell[][], width: number): number[] {
  const cols: number[] = [];
  for (let col = 0; col < width; col++) {
    const cells = rows.map((row) => row[col]).filter((c) => c !== null && c !== undefined && c !== '');
    if (cells.length > 0 && cells.every((c) => typeof c === 'number' || /^-?[\d.,]+(e[+-]?\d+)?%?$/i.test(c ?? ''))) {
      cols.push(col);
    }
  }
  return cols;
}
