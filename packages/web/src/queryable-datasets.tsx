// The workbench's cheat sheet: each dataset is a view by its name; clicking a name or column puts it in the editor.
import type { Dataset } from '@modelyard/client';
import { formatInt } from './format';

/** A name as SQL: bare when it is a plain identifier, else double-quoted. */
export function sqlIdentifier(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

export function QueryableDatasets({ datasets, onInsert }: { datasets: Dataset[]; onInsert: (text: string) => void }) {
  return (
    <aside className="card sql-tables" data-testid="sql-datasets">
      <p className="card-title">Tables you can query</p>
      {datasets.length === 0 ? (
        <p className="muted">This project has no datasets yet.</p>
      ) : (
        <ul className="sql-table-list">
          {datasets.map((dataset) => {
            const columns = dataset.latestVersion?.profile.columns ?? [];
            return (
              <li key={dataset.id}>
                <details>
                  <summary>
                    <span className="sql-table-name">{dataset.name}</span>
                    <span className="faint">
                      {dataset.latestVersion ? `${formatInt(dataset.latestVersion.rows)} rows` : 'no versions'}
                    </span>
                  </summary>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => onInsert(sqlIdentifier(dataset.name))}
                    data-testid={`sql-insert-${dataset.name}`}
                  >
                    Insert table name
                  </button>
                  <ul className="sql-column-list">
                    {columns.map((column) => (
                      <li key={column.name}>
                        <button
                          type="button"
                          className="link-button mono"
                          onClick={() => onInsert(sqlIdentifier(column.name))}
                          title={`Insert ${column.name}`}
                        >
                          {column.name}
                        </button>
                        <span className="faint mono">{column.dbType}</span>
                      </li>
                    ))}
                  </ul>
                </details>
              </li>
            );
          })}
        </ul>
      )}
      <p className="card-footnote">Each dataset is a read-only view of its latest version, named after it.</p>
    </aside>
  );
}
