// One profiled column up close: its most frequent values as a chart (when it has them) and its summary statistics.
import type { ColumnProfile } from '@modelyard/client';
import { ColumnTypePill } from './column-type-pill';
import { formatInt, formatPercent, formatStat } from './format';
import { HistogramChart } from './histogram-chart';
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
    ...(column.std !== undefined ? ([['Std', formatStat(column.std)]] as [string, string][]) : []),
    ...(column.quantiles ?? [])
      .filter((q) => q.p === 0.25 || q.p === 0.5 || q.p === 0.75)
      .map((q): [string, string] => [q.p === 0.5 ? 'Median' : `P${q.p * 100}`, formatStat(q.value)]),
  ];
  return (
    <div className="column-detail" data-testid="column-detail">
      <div className="column-detail-head">
        <h3 className="card-title">
          Column · <span className="mono">{column.name}</span>
        </h3>
        <ColumnTypePill type={column.type} dbType={column.dbType} />
        {column.semanticType ? <span className="pill">{column.semanticType}</span> : null}
      </div>
      <div className="mini-stats">
        {stats.map(([label, value]) => (
          <div key={label}>
            <span className="stat-label">{label}</span>
            <span className="mini-stat-value">{value}</span>
          </div>
        ))}
      </div>
      {column.histogram ? (
        <>
          <p className="subhead">Distribution</p>
          <HistogramChart histogram={column.histogram} />
        </>
      ) : null}
      {column.topValues?.length ? (
        <>
          <p className="subhead">Most frequent values</p>
          <TopValuesChart column={column} rows={rows} />
        </>
      ) : column.histogram ? null : (
        <p className="chart-empty">
          {numeric
            ? 'Numeric column: the profile keeps its range and mean rather than its frequent values.'
            : 'No frequent values recorded for this column.'}
        </p>
      )}
    </div>
  );
}
