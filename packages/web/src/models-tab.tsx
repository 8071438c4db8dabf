// A project's registered models: latest version, where each alias points, and the score of what it serves.
import { collectAll } from '@modelyard/client';
import type { Model, ModelVersion, Run } from '@modelyard/client';
import { EmptyState } from './empty-state';
import { formatAge, formatDateTime } from './format';
import { HEADLINE_METRICS, formatMetricValue, metricLabel, metricNumber } from './metrics';
import { ModelVersions } from './model-versions';
import { useSession } from './session-context';
import { useAsync } from './use-async';
import { routeHref } from './use-hash-route';

/** The version a reader cares about first: the champion's, else the latest. */
function servedVersion(model: Model, versions: ModelVersion[] | undefined): ModelVersion | undefined {
  const wanted = model.aliases.champion ?? model.latestVersion;
  return versions?.find((version) => version.version === wanted);
}

function headline(version: ModelVersion | undefined): { key: string; value: number } | undefined {
  if (version === undefined) return undefined;
  const key = HEADLINE_METRICS.find((name) => version.metrics[name] !== undefined);
  return key === undefined ? undefined : { key, value: metricNumber(version.metrics[key]) ?? Number.NaN };
}

export function ModelsTab({
  project,
  models,
  runs,
  selected,
  canEdit = false,
}: {
  project: string;
  models: Model[];
  runs: Run[];
  selected?: string;
  canEdit?: boolean;
}) {
  const { client } = useSession();
  // One small request per model; a project holds a handful of registered models, not thousands.
  const versions = useAsync(async () => {
    const lists = await Promise.all(
      models.map((model) => collectAll((page) => client.listModelVersions(model.id, page))),
    );
    return new Map(models.map((model, index) => [model.id, lists[index] ?? []]));
  }, [client, models.map((model) => `${model.id}:${model.latestVersion ?? 0}`).join(',')]);

  if (models.length === 0) {
    return (
      <EmptyState title="No registered models yet" testId="models-empty">
        Register a finished run as a model version with <code>POST /api/v1/models/&lt;model&gt;/versions</code>.
      </EmptyState>
    );
  }
  const runName = new Map(runs.map((run) => [run.id, run.name || run.id]));
  const open = (id: string): void => {
    window.location.hash = routeHref({ project, tab: 'models', item: id === selected ? undefined : id });
  };
  const current = models.find((model) => model.id === selected);

  return (
    <>
      <div className="card card-flush">
        <table className="table table-clickable" data-testid="models-table">
          <thead>
            <tr>
              <th>Model</th>
              <th className="num">Latest</th>
              <th>Aliases</th>
              <th className="num">Serving score</th>
              <th>From run</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {models.map((model) => {
              const aliases = Object.entries(model.aliases).sort(([a], [b]) => a.localeCompare(b));
              const served = servedVersion(model, versions.data?.get(model.id));
              const score = headline(served);
              return (
                <tr
                  key={model.id}
                  className={model.id === selected ? 'selected' : undefined}
                  onClick={() => open(model.id)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter' || event.key === ' ') {
                      event.preventDefault();
                      open(model.id);
                    }
                  }}
                  tabIndex={0}
                  data-testid={`model-row-${model.name}`}
                >
                  <td>
                    <span className="cell-title">{model.name}</span>
                    <span className="cell-sub">{model.description || <span className="mono">{model.id}</span>}</span>
                  </td>
                  <td className="num" data-testid="model-latest">
                    {model.latestVersion === null ? <span className="faint">none</span> : `v${model.latestVersion}`}
                  </td>
                  <td>
                    {aliases.length === 0 ? (
                      <span className="faint">no aliases</span>
                    ) : (
                      <span className="chips">
                        {aliases.map(([alias, version]) => (
                          <span
                            key={alias}
                            className={`alias alias-${alias === 'champion' ? 'champion' : 'other'}`}
                            data-testid={`alias-${alias}`}
                          >
                            {alias} → v{version}
                          </span>
                        ))}
                      </span>
                    )}
                  </td>
                  <td className="num">
                    {score === undefined ? (
                      <span className="faint">{versions.status === 'loading' ? '…' : '—'}</span>
                    ) : (
                      <>
                        {formatMetricValue(score.key, score.value)}
                        <span className="cell-sub">
                          {metricLabel(score.key)} · v{served?.version}
                        </span>
                      </>
                    )}
                  </td>
                  <td>
                    {served === undefined ? (
                      <span className="faint">—</span>
                    ) : (
                      <a
                        href={routeHref({ project, tab: 'runs', item: served.runId })}
                        onClick={(event) => event.stopPropagation()}
                      >
                        {runName.get(served.runId) ?? served.runId}
                      </a>
                    )}
                  </td>
                  <td title={formatDateTime(model.createdAt)}>{formatAge(model.createdAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {current === undefined ? (
        <p className="hint">Select a model to see its version history.</p>
      ) : (
        <ModelVersions
          project={project}
          model={current}
          versions={versions.data?.get(current.id)}
          loading={versions.status === 'loading'}
          error={versions.status === 'error' ? versions.error : undefined}
          runName={runName}
          canEdit={canEdit}
        />
      )}
    </>
  );
}
