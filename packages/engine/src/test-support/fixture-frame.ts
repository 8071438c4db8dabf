// Test-only: rebuilds a Frame from the column lists frozen in reference fixtures (null = missing).
import { Frame } from '../frame/frame.js';
import type { Column } from '../frame/column.js';

export type FixtureColumn =
  | { name: string; kind: 'number'; values: (number | null)[] }
  | { name: string; kind: 'category'; values: (string | null)[] };

export function fixtureFrame(columns: FixtureColumn[]): Frame {
  return Frame.fromColumns(
    columns.map((column): Column => {
      if (column.kind === 'number') {
        return { kind: 'number', name: column.name, values: Float64Array.from(column.values, (v) => v ?? NaN) };
      }
      const dictionary = [...new Set(column.values.filter((v): v is string => v !== null))];
      const codes = Int32Array.from(column.values, (v) => (v === null ? -1 : dictionary.indexOf(v)));
      return { kind: 'category', name: column.name, codes, dictionary };
    }),
  );
}
