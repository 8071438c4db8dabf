// One page of a workbench query's rows: column names with their DuckDB types, values as the API sent them.
import type { SqlResult } from '@modelyard/client';

const NUMERIC_TYPE =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL)/i;

function cell(value: unknown): { text: string; isNull: boolean } {
  if (value === null || value === undefined) return { text: 'NULL', isNull: true };
  if (typeof value === 'string') return { text: value, isNull: false };
  if (typeof value === 'number' || typeof value === 'boolean') return { text: String(value), isNull: false };
  return { text: JSON.stringify(value), isNull: false };
}

export function SqlResultTable({ result, firstRow }: { result: SqlResult; firstRow: number }) {
  const numeric = result.columns.map((column) => NUMERIC_TYPE.test(column.type));
  if (result.rows.length === 0) {
    return (
      <div className="card sql-no-rows" data-testid="sql-no-rows">
        The query returned no rows{firstRow > 1 ? ' on this page' : ''}. Columns:{' '}
        {result.columns.map((column) => column.name).join(', ') || 'none'}.
      </div>
    );
  }
  return (
    <div className="card card-flush sql-result">
      <table className="table table-dense" data-testid="sql-results">
        <thead>
          <tr>
            <th className="row-number" aria-label="Row number">
              #
            </th>
            {result.columns.map((column, i) => (
              <th key={i} className={numeric[i] ? 'num' : undefined} data-testid={`sql-col-${column.name}`}>
                <span className="sql-col-name">{column.name}</span>
                <span className="sql-col-type">{column.type}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {result.rows.map((row, r) => (
            <tr key={r}>
              <td className="row-number">{firstRow + r}</td>
              {result.columns.map((_, i) => {
                const { text, isNull } = cell(row[i]);
                return (
                  <td key={i} className={[numeric[i] ? 'num' : '', isNull ? 'null' : ''].join(' ').trim() || undefined}>
                    {text}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
