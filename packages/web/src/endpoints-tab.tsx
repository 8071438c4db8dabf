// A project's serving endpoints: what each serves (as written) and the model version that resolves to now.
import type { Endpoint } from '@modelyard/client';
import { EmptyState } from './empty-state';
import { formatAge, formatDateTime } from './format';

export function EndpointsTab({ endpoints }: { endpoints: Endpoint[] }) {
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
          </tr>
        </thead>
        <tbody>
          {endpoints.map((endpoint) => (
            <tr key={endpoint.id} data-testid={`endpoint-row-${endpoint.name}`}>
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
                    shadow {endpoint.shadow.model} · {Math.round(endpoint.shadow.share * 100)}% mirrored, never returned
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
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
