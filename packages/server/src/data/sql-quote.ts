// Quoting for the few places where DuckDB takes a name or a path that cannot be a bound parameter (COPY, identifiers).

/** A DuckDB string literal: `'it''s'`. */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('NUL byte in SQL literal');
  return `'${value.replace(/'/g, "''")}'`;
}

/** A DuckDB identifier: `"my ""col"""`. */
export function quoteIdentifier(name: string): string {
  if (name.includes('\0')) throw new Error('NUL byte in SQL identifier');
  return `"${name.replace(/"/g, '""')}"`;
}
