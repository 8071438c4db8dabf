import { describe, expect, it } from 'vitest';
import { columnTypeOf } from './column-type.js';

describe('columnTypeOf', () => {
  it('maps DuckDB type names to coarse column types', () => {
    const cases: [string, string][] = [
      ['BIGINT', 'integer'],
      ['UHUGEINT', 'integer'],
      ['DOUBLE', 'float'],
      ['DECIMAL(18,3)', 'float'],
      ['VARCHAR', 'string'],
      ["ENUM('a', 'b')", 'string'],
      ['BOOLEAN', 'boolean'],
      ['DATE', 'date'],
      ['TIMESTAMP_NS', 'timestamp'],
      ['TIMESTAMP WITH TIME ZONE', 'timestamp'],
      ['TIME', 'other'],
      ['INTEGER[]', 'other'],
      ['STRUCT(a INTEGER)', 'other'],
      ['JSON', 'other'],
    ];
    for (const [dbType, type] of cases) expect({ dbType, type: columnTypeOf(dbType) }).toEqual({ dbType, type });
  });
});
