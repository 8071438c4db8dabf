import { describe, expect, it } from 'vitest';
import { sourceFormatOf } from './source-format.js';

describe('sourceFormatOf', () => {
  it('maps extensions case-insensitively', () => {
    expect(sourceFormatOf('a.CSV')).toEqual({ kind: 'csv' });
    expect(sourceFormatOf('a.txt')).toEqual({ kind: 'csv' });
    expect(sourceFormatOf('a.b.TSV')).toEqual({ kind: 'csv', delimiter: '\t' });
    expect(sourceFormatOf('x.Parquet')).toEqual({ kind: 'parquet' });
    for (const name of ['a.json', 'a.NDJSON', 'a.jsonl']) expect(sourceFormatOf(name)).toEqual({ kind: 'json' });
  });

  it('refuses anything else with 400 unsupported_format', () => {
    for (const name of ['a.xlsx', 'csv', 'a.csv.gz', '']) {
      expect(() => sourceFormatOf(name)).toThrow(expect.objectContaining({ status: 400, code: 'unsupported_format' }));
    }
  });
});
