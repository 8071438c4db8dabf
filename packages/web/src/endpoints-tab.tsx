// A project's serving endpoints: what each serves (as written) and the model version that resolves to now.
import { Fragment, useState } from 'react';
import type { Endpoint, Role } from '@modelyard/client';
import { AccuracyPanel } from './accuracy-panel';
import { DriftPanel } from './drift-panel';
import { EmptyState } from './empty-state';
import { formatAge, formatDateTime } from './format';

export function EndpointsTab({ endpoints, role }: { endpoints: Endpoint[]; role: Role }) {
  const [open, setOpen] = useState<string | null>(null);
  if (endpoints.length === 0) {
    return (
      <EmptyState title="No endpoints yet" testId="endpoints-empty">
        Serve a model by its alias with <code>POST /api/v1/projects/&lt;project&gt;/endpoints</code> and{' '}
        <code>{'{"model": "<name>@champion"}'}</code>.
      </EmptyState>
    );
  }
  return (
    <div className="card card-flush">
      <table className="table" data-testid="endpoints-table">
        <thead>
          <tr>
            <th>Endpoint</th>
            <th>Serves</th>
            <th className="num">Resolved version</th>
            <th>Predict URL</th>
            <th>Created</th>
            <th>Monitoring</th>
          </tr>
        </thead>
        <tbody>
          {endpoints.map((endpoint) => (
            <Fragment key={endpoint.id}>
              <tr data-testid={`endpoint-row-${endpoint.name}`}>
                <td>
                  <span className="cell-title">{endpoint.name}</span>
                  <span className="cell-sub mono">{endpoint.id}</span>
                </td>
                <td>
                  <code className="ref" data-testid="endpoint-model">
                    {endpoint.model}
                  </code>
                  {endpoint.canary && (
                    <span className="cell-sub" data-testid="endpoint-canary">
                      canary {endpoint.canary.model} · {Math.round(endpoint.canary.share * 100)}% of answers
                    </span>
                  )}
                  {endpoint.shadow && (
                    <span className="cell-sub" data-testid="endpoint-shadow">
                      shadow {endpoint.shadow.model} · {Math.round(endpoint.shadow.share * 100)}% mirrored, never
                      returned
                    </span>
                  )}
                  {endpoint.loadError && (
                    <span className="cell-sub form-error" data-testid="endpoint-load-error">
                      {endpoint.loadError}
                    </span>
                  )}
                </td>
                <td className="num" data-testid="endpoint-version">
                  v{endpoint.modelVersion}
                </td>
                <td>
                  <code className="url">POST /api/v1/endpoints/{endpoint.id}/predict</code>
                </td>
                <td title={formatDateTime(endpoint.createdAt)}>{formatAge(endpoint.createdAt)}</td>
                <td>
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    aria-expanded={open === endpoint.id}
                    data-testid={`drift-toggle-${endpoint.name}`}
                    onClick={() => setOpen(open === endpoint.id ? null : endpoint.id)}
                  >
                    {open === endpoint.id ? 'Hide drift' : 'Drift'}
                  </button>
                </td>
              </tr>
              {open === endpoint.id && (
                <tr>
                  <td colSpan={6}>
                    <DriftPanel endpointId={endpoint.id} canRun={role !== 'viewer'} />
                    <AccuracyPanel endpointId={endpoint.id} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
