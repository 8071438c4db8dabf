// A project's datasets as a table; selecting one opens its latest version's profile below.
import type { Dataset } from '@modelyard/client';
import { DatasetProfile } from './dataset-profile';
import { EmptyState } from './empty-state';
import { formatAge, formatBytes, formatDateTime, formatInt, shortHash } from './format';
import { routeHref } from './use-hash-route';

export function DatasetsTab({
  project,
  datasets,
  selected,
}: {
  project: string;
  datasets: Dataset[];
  selected?: string;
}) {
  if (datasets.length === 0) {
    return (
      <EmptyState title="No datasets yet" testId="datasets-empty">
        Add one with <code>modelyard datasets add ./data.csv --project {project}</code>.
      </EmptyState>
    );
  }
  const open = (id: string): void => {
    window.location.hash = routeHref({ project, tab: 'datasets', item: id === selected ? undefined : id });
  };
  const current = datasets.find((dataset) => dataset.id === selected);

  return (
    <>
      <div className="card card-flush">
        <table className="table table-clickable" data-testid="datasets-table">
          <thead>
            <tr>
              <th>Name</th>
              <th className="num">Rows</th>
              <th className="num">Columns</th>
              <th className="num">Size</th>
              <th>Version</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {datasets.map((dataset) => {
              const version = dataset.latestVersion;
              return (
                <tr
                  key={dataset.id}
                  className={dataset.id === selected ? 'selected' : undefined}
                  onClick={() => open(dataset.id)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter' || event.key === ' ') {
                      event.preventDefault();
                      open(dataset.id);
                    }
                  }}
                  tabIndex={0}
                  aria-selected={dataset.id === selected}
                  data-testid={`dataset-row-${dataset.name}`}
                >
                  <td>
                    <span className="cell-title">{dataset.name}</span>
                    {dataset.description ? <span className="cell-sub">{dataset.description}</span> : null}
                  </td>
                  <td className="num" data-testid="dataset-rows">
                    {version ? formatInt(version.rows) : '—'}
                  </td>
                  <td className="num" data-testid="dataset-columns">
                    {version ? formatInt(version.profile.columns.length) : '—'}
                  </td>
                  <td className="num">{version ? formatBytes(version.bytes) : '—'}</td>
                  <td>
                    {version ? (
                      <code className="hash" title={version.version} data-testid="dataset-version">
                        {shortHash(version.version)}
                      </code>
                    ) : (
                      <span className="faint">no versions</span>
                    )}
                  </td>
                  <td title={formatDateTime(version?.createdAt ?? dataset.createdAt)}>
                    {formatAge(version?.createdAt ?? dataset.createdAt)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {current === undefined ? (
        <p className="hint">Select a dataset to see its column profile.</p>
      ) : (
        <DatasetProfile key={current.id} datasetId={current.id} />
      )}
    </>
  );
}
