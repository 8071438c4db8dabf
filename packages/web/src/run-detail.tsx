// Everything a run recorded: metrics, parameters, inputs, environment, and the error if it failed.
import type { Run } from '@modelyard/client';
import { formatDateTime, formatDuration, shortHash } from './format';
import { formatMetricValue, metricLabel, orderMetricKeys } from './metrics';
import { useSession } from './session-context';
import { StatusPill } from './status-pill';

function KeyValues({ entries, testId }: { entries: [string, string][]; testId?: string }) {
  return (
    <dl className="key-values" data-testid={testId}>
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function RunDetail({ run, datasetName }: { run: Run; datasetName?: string }) {
  const metricKeys = orderMetricKeys(Object.keys(run.metrics));
  const params = Object.entries(run.params).sort(([a], [b]) => a.localeCompare(b));
  const env = run.environment;
  const { me } = useSession();
  const createdBy = run.createdBy === me.user.id ? me.user.name : run.createdBy;
  return (
    <section className="run-detail" data-testid="run-detail" aria-label={`Run ${run.name || run.id}`}>
      <div className="section-header">
        <h2>
          {run.name || run.id} <StatusPill status={run.status} progress={run.progress} />
        </h2>
        <code className="hash">{run.id}</code>
      </div>
      {run.error ? (
        <div className="error-panel" role="alert">
          <div>
            <p className="error-panel-title">Training failed · {run.error.code}</p>
            <p className="error-panel-message">{run.error.message}</p>
          </div>
        </div>
      ) : null}
      {metricKeys.length > 0 ? (
        <div className="stat-grid">
          {metricKeys.map((key) => (
            <div className="stat-tile" key={key}>
              <span className="stat-label">{metricLabel(key)}</span>
              <span className="stat-value" data-testid={`detail-metric-${key}`}>
                {formatMetricValue(key, run.metrics[key])}
              </span>
            </div>
          ))}
        </div>
      ) : null}
      <div className="detail-grid">
        <div className="card">
          <h3 className="card-title">Inputs</h3>
          <KeyValues
            entries={[
              ['Dataset', datasetName ?? run.datasetId ?? '—'],
              ['Version', run.datasetVersion === null ? '—' : shortHash(run.datasetVersion)],
              ['Target', run.target ?? '—'],
              ['Task', run.task ?? '—'],
              ['Algorithm', run.algorithm ?? '—'],
              ['Created by', createdBy],
            ]}
          />
        </div>
        <div className="card">
          <h3 className="card-title">Parameters</h3>
          {params.length === 0 ? (
            <p className="faint">Defaults</p>
          ) : (
            <KeyValues entries={params.map(([key, value]) => [key, String(value)])} testId="run-params" />
          )}
        </div>
        <div className="card">
          <h3 className="card-title">Timing & environment</h3>
          <KeyValues
            entries={[
              ['Created', formatDateTime(run.createdAt)],
              ['Started', run.startedAt ? formatDateTime(run.startedAt) : '—'],
              ['Duration', formatDuration(run.durationMs)],
              ...(env
                ? ([
                    ['Node', env.node],
                    ['Platform', `${env.os} ${env.arch}`],
                    ['CPU', `${env.cpus} × ${env.cpu}`],
                    ['Modelyard', env.modelyardVersion],
                  ] as [string, string][])
                : []),
            ]}
          />
        </div>
      </div>
    </section>
  );
}
