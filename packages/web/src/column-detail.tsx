// One profiled column up close: its most frequent values as a chart (when it has them) and its summary statistics.
import type { ColumnProfile } from '@modelyard/client';
import { ColumnTypePill } from './column-type-pill';
import { formatInt, formatPercent, formatStat } from './format';
import { TopValuesChart } from './top-values-chart';

export function ColumnDetail({ column, rows }: { column: ColumnProfile; rows: number }) {
  const numeric = column.type === 'integer' || column.type === 'float';
  const stats: [string, string][] = [
    ['Distinct', formatInt(column.distinct)],
    ['Missing', `${formatInt(column.nulls)} (${formatPercent(rows === 0 ? 0 : column.nulls / rows)})`],
    ...(numeric || column.min !== undefined
      ? ([
          ['Min', formatStat(column.min)],
          ['Mean', formatStat(column.mean)],
          ['Max', formatStat(column.max)],
        ] as [string, string][])
      : []),
  ];
  return (
    <div className="column-detail" data-testid="column-detail">
      <div className="column-detail-head">
        <h3 className="card-title">
          Column · <span className="mono">{column.name}</span>
        </h3>
        <ColumnTypePill type={column.type} dbType={column.dbType} />
      </div>
      <div className="mini-stats">
        {stats.map(([label, value]) => (
          <div key={label}>
            <span className="stat-label">{label}</span>
            <span className="mini-stat-value">{value}</span>
          </div>
        ))}
      </div>
      {column.topValues?.length ? (
        <>
          <p className="subhead">Most frequent values</p>
          <TopValuesChart column={column} rows={rows} />
        </>
      ) : (
        <p className="chart-empty">
          {numeric
            ? 'Numeric column: the profile keeps its range and mean rather than its frequent values.'
            : 'No frequent values recorded for this column.'}
        </p>
      )}
    </div>
  );
}
