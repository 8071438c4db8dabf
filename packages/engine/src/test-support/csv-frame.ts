// Test-only: parses CSV text (header row, quoted fields, empty = missing) into a Frame, inferring column kinds.
import { Frame } from '../frame/frame.js';
import type { Column } from '../frame/column.js';

export function csvFrame(text: string): Frame {
  const rows = parseCsv(text);
  const header = rows.shift() ?? [];
  const columns = header.map((name, j): Column => {
    const cells = rows.map((row) => row[j] ?? '');
    const numeric = cells.every((cell) => cell.trim() === '' || Number.isFinite(Number(cell)));
    if (numeric) {
      return { kind: 'number', name, values: Float64Array.from(cells, (c) => (c.trim() === '' ? NaN : Number(c))) };
    }
    const dictionary: string[] = [];
    const index = new Map<string, number>();
    const codes = Int32Array.from(cells, (cell) => {
      if (cell === '') return -1;
      let code = index.get(cell);
      if (code === undefined) {
        code = dictionary.length;
        dictionary.push(cell);
        index.set(cell, code);
      }
      return code;
    });
    return { kind: 'category', name, codes, dictionary };
  });
  return Frame.fromColumns(columns);
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
