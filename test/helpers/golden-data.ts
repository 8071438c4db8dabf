// Data for the golden-path tests: real credit rows as feature records, and a generated regression table.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

export const CREDIT_CSV = resolve(import.meta.dirname, '../../examples/data/credit_data.csv');

/** The first `count` rows of the credit data as feature records (the target left out). */
export async function creditRecords(count = 2): Promise<Record<string, string | number | null>[]> {
  const [header = '', ...lines] = (await readFile(CREDIT_CSV, 'utf8')).trim().split('\n');
  const names = splitCsvLine(header).map(String);
  return lines.slice(0, count).map((line) => {
    const values = splitCsvLine(line);
    return Object.fromEntries(names.map((n, i) => [n, values[i] ?? null]).filter(([n]) => n !== 'Status'));
  });
}

/** Enough CSV for credit_data.csv: quoted strings, bare numbers, empty = missing. */
function splitCsvLine(line: string): (string | number | null)[] {
  return (line.match(/("[^"]*"|[^,]*)(,|$)/g) ?? []).slice(0, line.split(',').length).map((cell) => {
    const raw = cell.replace(/,$/, '');
    if (raw === '') return null;
    if (raw.startsWith('"')) return raw.slice(1, -1);
    return Number(raw);
  });
}

/** y = 2 + 3·x1 − 1.5·x2 + a group effect + small noise, from a fixed-seed generator. */
export function regressionCsv(rows: number, seed: number): string {
  let state = seed;
  const rand = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const effect: Record<string, number> = { a: 0, b: 1, c: -1 };
  const lines = ['x1,x2,grp,y'];
  for (let i = 0; i < rows; i++) {
    const x1 = rand() * 10;
    const x2 = rand() * 5;
    const grp = ['a', 'b', 'c'][i % 3] ?? 'a';
    const y = 2 + 3 * x1 - 1.5 * x2 + (effect[grp] ?? 0) + (rand() - 0.5) * 0.2;
    lines.push(`${x1.toFixed(4)},${x2.toFixed(4)},${grp},${y.toFixed(4)}`);
  }
  return `${lines.join('\n')}\n`;
}
