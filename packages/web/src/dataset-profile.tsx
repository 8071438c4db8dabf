// The profile of a dataset's latest version: summary, null rates, top values, and per-column statistics.
import { useState } from 'react';
import type { ColumnProfile } from '@modelyard/client';
import { ColumnDetail } from './column-detail';
import { ColumnTypePill } from './column-type-pill';
import { EmptyState } from './empty-state';
import { ErrorPanel } from './error-panel';
import { formatAge, formatBytes, formatDateTime, formatInt, formatPercent, formatStat } from './format';
import { LoadingPanel } from './loading-panel';
import { NullRateChart } from './null-rate-chart';
import { useSession } from './session-context';
import { StatTile } from './stat-tile';
import { useAsync } from './use-async';

export function DatasetProfile({ datasetId }: { datasetId: string }) {
  const { client } = useSession();
  const dataset = useAsync(() => client.getDataset(datasetId), [client, datasetId]);
  const [chosen, setChosen] = useState<string | null>(null);

  if (dataset.status === 'loading') return <LoadingPanel label="Loading profile…" />;
  if (dataset.status === 'error') return <ErrorPanel error={dataset.error} onRetry={dataset.reload} />;
  const version = dataset.data.latestVersion;
  if (version === null) {
    return <EmptyState title="This dataset has no versions yet">Add data to it to see a profile.</EmptyState>;
  }

  const { rows, columns } = version.profile;
  const withTopValues = columns.filter((column) => (column.topValues?.length ?? 0) > 0);
  const focus: ColumnProfile | undefined =
    columns.find((column) => column.name === chosen) ?? withTopValues[0] ?? columns[0];
  const nullCells = columns.reduce((sum, column) => sum + column.nulls, 0);

  return (
    <section className="profile" data-testid="dataset-profile" aria-label={`Profile of ${dataset.data.name}`}>
      <div className="section-header">
        <h2>
          {dataset.data.name} <span className="muted">profile</span>
        </h2>
        <code className="hash" title="Content hash of this version">
          {version.version}
        </code>
      </div>
      <div className="stat-grid">
        <StatTile label="Rows" value={formatInt(rows)} testId="profile-rows" />
        <StatTile label="Columns" value={formatInt(columns.length)} testId="profile-columns" />
        <StatTile
          label="Missing cells"
          value={formatPercent(rows * columns.length === 0 ? 0 : nullCells / (rows * columns.length))}
        />
        <StatTile label="Snapshot size" value={formatBytes(version.bytes)} />
        <StatTile
          label="Created"
          value={formatAge(version.createdAt)}
          detail={`${formatDateTime(version.createdAt)} by ${version.createdBy}`}
        />
      </div>
      <div className="chart-grid">
        <div className="card">
          <h3 className="card-title">Null rate by column</h3>
          <NullRateChart columns={columns} rows={rows} />
        </div>
        <div className="card">
          {focus === undefined ? (
            <p className="chart-empty">This version has no columns.</p>
          ) : (
            <ColumnDetail column={focus} rows={rows} />
          )}
          <p className="card-footnote">Select a column in the table below to inspect it.</p>
        </div>
      </div>
      <div className="card card-flush">
        <table className="table table-clickable" data-testid="profile-table">
          <thead>
            <tr>
              <th>Column</th>
              <th>Type</th>
              <th className="num">Nulls</th>
              <th className="num">Distinct</th>
              <th className="num">Min</th>
              <th className="num">Max</th>
              <th className="num">Mean</th>
              <th>Top values</th>
            </tr>
          </thead>
          <tbody>
            {columns.map((column) => (
              <tr
                key={column.name}
                className={column.name === focus?.name ? 'selected' : undefined}
                onClick={() => setChosen(column.name)}
                data-testid={`profile-column-${column.name}`}
              >
                <td>
                  <span className="cell-title mono">{column.name}</span>
                </td>
                <td>
                  <ColumnTypePill type={column.type} dbType={column.dbType} />
                </td>
                <td className="num">
                  <span className={column.nulls === 0 ? 'faint' : undefined}>{formatInt(column.nulls)}</span>
                  <span className="pct">
                    {column.nulls === 0 ? '' : formatPercent(rows === 0 ? 0 : column.nulls / rows)}
                  </span>
                </td>
                <td className="num">{formatInt(column.distinct)}</td>
                <td className="num">{formatStat(column.min)}</td>
                <td className="num">{formatStat(column.max)}</td>
                <td className="num">{formatStat(column.mean)}</td>
                <td>
                  {column.topValues?.length ? (
                    <span className="chips">
                      {column.topValues.slice(0, 3).map((top) => (
                        <span className="chip" key={top.value} title={`${formatInt(top.count)} rows`}>
                          {top.value}
                        </span>
                      ))}
                      {column.topValues.length > 3 ? (
                        <span className="faint">+{column.topValues.length - 3}</span>
                      ) : null}
                    </span>
                  ) : (
                    <span className="faint">—</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
