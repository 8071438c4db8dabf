// A registered model's version history: each version's source run, scores, and the aliases that point at it.
import { Fragment, useState } from 'react';
import type { Model, ModelVersion } from '@modelyard/client';
import { ExplanationPanel } from './explanation-panel';
import { FairnessPanel, ModelCardDownloads } from './fairness-panel';
import { EmptyState } from './empty-state';
import { ExportDownloads } from './export-downloads';
import { ErrorPanel } from './error-panel';
import { formatAge, formatDateTime } from './format';
import { LoadingPanel } from './loading-panel';
import { formatMetricValue, metricLabel, scoreKeys } from './metrics';
import { routeHref } from './use-hash-route';

export function ModelVersions({
  project,
  model,
  versions,
  loading,
  error,
  runName,
  canEdit = false,
}: {
  project: string;
  model: Model;
  versions: ModelVersion[] | undefined;
  loading: boolean;
  error?: unknown;
  runName: Map<string, string>;
  canEdit?: boolean;
}) {
  const [explained, setExplained] = useState<number | null>(null);
  const header = (
    <div className="section-header">
      <h2>
        {model.name} <span className="muted">versions</span>
      </h2>
      <code className="hash">{model.id}</code>
    </div>
  );
  if (error !== undefined) return <ErrorPanel error={error} />;
  if (versions === undefined) return loading ? <LoadingPanel label="Loading versions…" /> : null;
  if (versions.length === 0) {
    return (
      <section className="run-detail">
        {header}
        <EmptyState title="No versions yet">Register a finished run to create version 1.</EmptyState>
      </section>
    );
  }
  const aliasesOf = new Map<number, string[]>();
  for (const [alias, version] of Object.entries(model.aliases)) {
    aliasesOf.set(version, [...(aliasesOf.get(version) ?? []), alias]);
  }
  const keys = scoreKeys(versions.flatMap((version) => Object.keys(version.metrics))).slice(0, 4);
  const newestFirst = [...versions].sort((a, b) => b.version - a.version);

  return (
    <section className="run-detail" data-testid="model-versions">
      {header}
      <div className="card card-flush">
        <table className="table">
          <thead>
            <tr>
              <th>Version</th>
              <th>Aliases</th>
              <th>Run</th>
              {keys.map((key) => (
                <th key={key} className="num">
                  {metricLabel(key)}
                </th>
              ))}
              <th>Registered</th>
              <th>Export</th>
              <th>Trust</th>
            </tr>
          </thead>
          <tbody>
            {newestFirst.map((version) => (
              <Fragment key={version.version}>
                <tr data-testid={`model-version-${version.version}`}>
                  <td>
                    <span className="cell-title">v{version.version}</span>
                    <span className="cell-sub">{version.task}</span>
                  </td>
                  <td>
                    <span className="chips">
                      {(aliasesOf.get(version.version) ?? []).map((alias) => (
                        <span key={alias} className={`alias alias-${alias === 'champion' ? 'champion' : 'other'}`}>
                          {alias}
                        </span>
                      ))}
                    </span>
                  </td>
                  <td>
                    <a href={routeHref({ project, tab: 'runs', item: version.runId })}>
                      {runName.get(version.runId) ?? version.runId}
                    </a>
                  </td>
                  {keys.map((key) => (
                    <td key={key} className="num">
                      {formatMetricValue(key, version.metrics[key])}
                    </td>
                  ))}
                  <td title={formatDateTime(version.createdAt)}>{formatAge(version.createdAt)}</td>
                  <td>
                    <ExportDownloads model={model} version={version.version} />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      aria-expanded={explained === version.version}
                      data-testid={`explain-toggle-${version.version}`}
                      onClick={() => setExplained(explained === version.version ? null : version.version)}
                    >
                      {explained === version.version ? 'Hide' : 'Open'}
                    </button>
                  </td>
                </tr>
                {explained === version.version && (
                  <tr>
                    <td colSpan={keys.length + 6}>
                      <ModelCardDownloads modelId={model.id} modelName={model.name} version={version.version} />
                      <ExplanationPanel
                        modelId={model.id}
                        version={version.version}
                        canCompute={canEdit}
                        onnx={version.source === 'onnx'}
                      />
                      <FairnessPanel modelId={model.id} version={version.version} canCompute={canEdit} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
