// Maps a DuckDB type name to the platform's coarse column type.

import type { ColumnType } from './types.js';

const INTEGER = new Set([
  'TINYINT',
  'SMALLINT',
  'INTEGER',
  'BIGINT',
  'HUGEINT',
  'UTINYINT',
  'USMALLINT',
  'UINTEGER',
  'UBIGINT',
  'UHUGEINT',
]);
const FLOAT = new Set(['FLOAT', 'DOUBLE']);
const TIMESTAMP = new Set(['TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS', 'TIMESTAMP WITH TIME ZONE']);

export function columnTypeOf(dbType: string): ColumnType {
  const t = dbType.toUpperCase();
  if (INTEGER.has(t)) return 'integer';
  if (FLOAT.has(t) || t.startsWith('DECIMAL')) return 'float';
  if (t === 'VARCHAR' || t.startsWith('ENUM(')) return 'string';
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'DATE') return 'date';
  if (TIMESTAMP.has(t)) return 'timestamp';
  return 'other';
}
