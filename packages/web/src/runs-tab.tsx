// A project's training runs, newest first, with status and headline metrics; selecting one opens its details.
import type { Dataset, Run } from '@modelyard/client';
import { EmptyState } from './empty-state';
import { formatAge, formatDateTime, formatDuration, formatMetric } from './format';
import { bestMetricValue, metricLabel, metricNumber, scoreKeys } from './metrics';
import { RunDetail } from './run-detail';
import { StatusPill } from './status-pill';
import { routeHref } from './use-hash-route';

/** More metric columns than this crowd the table; the rest show in the run's details. */
const MAX_METRIC_COLUMNS = 4;

export function RunsTab({
  project,
  runs,
  more = false,
  datasets,
  selected,
}: {
  project: string;
  runs: Run[];
  /** Older runs exist beyond the ones shown. */
  more?: boolean;
  datasets: Dataset[];
  selected?: string;
}) {
  if (runs.length === 0) {
    return (
      <EmptyState title="No runs yet" testId="runs-empty">
        Train one with{' '}
        <code>
          modelyard train --project {project} --dataset &lt;name&gt; --target &lt;column&gt; --task classification
        </code>
      </EmptyState>
    );
  }
  const metricKeys = scoreKeys(runs.flatMap((run) => Object.keys(run.metrics))).slice(0, MAX_METRIC_COLUMNS);
  // With several finished runs, the best value of each metric stands out.
  const finished = runs.filter((run) => run.status === 'succeeded');
  const best = new Map(
    metricKeys.map((key) => [
      key,
      finished.length > 1
        ? bestMetricValue(
            key,
            finished.map((r) => r.metrics[key]),
          )
        : undefined,
    ]),
  );
  const datasetName = new Map(datasets.map((dataset) => [dataset.id, dataset.name]));
  const open = (id: string): void => {
    window.location.hash = routeHref({ project, tab: 'runs', item: id === selected ? undefined : id });
  };
  const current = runs.find((run) => run.id === selected);

  return (
    <>
      <div className="card card-flush">
        <table className="table table-clickable" data-testid="runs-table">
          <thead>
            <tr>
              <th>Run</th>
              <th>Status</th>
              <th>Algorithm</th>
              <th>Dataset · target</th>
              {metricKeys.map((key) => (
                <th key={key} className="num">
                  {metricLabel(key)}
                </th>
              ))}
              <th className="num">Duration</th>
              <th>Started</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr
                key={run.id}
                className={run.id === selected ? 'selected' : undefined}
                onClick={() => open(run.id)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' || event.key === ' ') {
                    event.preventDefault();
                    open(run.id);
                  }
                }}
                tabIndex={0}
                aria-selected={run.id === selected}
                data-testid={`run-row-${run.id}`}
              >
                <td>
                  <span className="cell-title">{run.name || run.id}</span>
                  <span className="cell-sub mono">{run.id}</span>
                </td>
                <td>
                  <StatusPill status={run.status} progress={run.progress} />
                </td>
                <td>
                  <span className="mono">{run.algorithm}</span>
                  <span className="cell-sub">{run.task}</span>
                </td>
                <td>
                  <span>{run.datasetId === null ? '—' : (datasetName.get(run.datasetId) ?? run.datasetId)}</span>
                  <span className="cell-sub">
                    → <span className="mono">{run.target}</span>
                  </span>
                </td>
                {metricKeys.map((key) => (
                  <td
                    key={key}
                    className={
                      // Compared as shown, so values that read the same are marked alike.
                      best.get(key) !== undefined &&
                      formatMetric(metricNumber(run.metrics[key])) === formatMetric(best.get(key))
                        ? 'num best'
                        : 'num'
                    }
                    data-testid={`metric-${key}`}
                  >
                    {formatMetric(metricNumber(run.metrics[key]))}
                  </td>
                ))}
                <td className="num">{formatDuration(run.durationMs)}</td>
                <td title={formatDateTime(run.startedAt ?? run.createdAt)}>
                  {formatAge(run.startedAt ?? run.createdAt)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {more ? <p className="hint">Showing the newest {runs.length} runs.</p> : null}
      {current === undefined ? (
        <p className="hint">Select a run to see its parameters, all metrics and environment.</p>
      ) : (
        <RunDetail
          run={current}
          datasetName={current.datasetId === null ? undefined : datasetName.get(current.datasetId)}
        />
      )}
    </>
  );
}
