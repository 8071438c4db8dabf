// A project's database connections: editors see and test them, admins also add and delete them. No password ever
// comes back from the API, so none is shown.
import { useState } from 'react';
import { collectAll } from '@modelyard/client';
import type { Connection, ConnectionCheck, Role } from '@modelyard/client';
import { ApiErrorNote } from './api-error-note';
import { ConnectionForm, KIND_LABELS } from './connection-form';
import { EmptyState } from './empty-state';
import { ErrorPanel } from './error-panel';
import { formatAge, formatDateTime, formatDuration } from './format';
import { LoadingPanel } from './loading-panel';
import { useSession } from './session-context';
import { useAsync } from './use-async';

type Check = { status: 'testing' } | { status: 'ok'; check: ConnectionCheck } | { status: 'failed'; error: unknown };

export function ConnectionsTab({ project, role }: { project: string; role: Role }) {
  const { client } = useSession();
  const isAdmin = role === 'admin';
  const connections = useAsync(
    () =>
      role === 'viewer'
        ? Promise.resolve([])
        : collectAll((page) => client.listConnections(project, page)).then((items) =>
            items.sort((a, b) => a.name.localeCompare(b.name)),
          ),
    [client, project, role],
  );
  const [checks, setChecks] = useState<Record<string, Check>>({});
  const [confirming, setConfirming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  if (role === 'viewer') {
    return (
      <EmptyState title="Connections are for editors and admins" testId="connections-forbidden">
        Ask a project admin for the editor role to see this project’s database connections.
      </EmptyState>
    );
  }

  const test = async (connection: Connection): Promise<void> => {
    setChecks((all) => ({ ...all, [connection.id]: { status: 'testing' } }));
    try {
      const check = await client.testConnection(connection.id);
      setChecks((all) => ({ ...all, [connection.id]: { status: 'ok', check } }));
    } catch (error) {
      setChecks((all) => ({ ...all, [connection.id]: { status: 'failed', error } }));
    }
  };

  const remove = async (connection: Connection): Promise<void> => {
    setDeleting(true);
    setActionError(null);
    try {
      await client.deleteConnection(connection.id);
      setConfirming(null);
      setNotice(`Deleted connection ${connection.name}.`);
      connections.reload();
    } catch (error) {
      setActionError(error);
    } finally {
      setDeleting(false);
    }
  };

  const list = connections.data ?? [];
  const failed = list.flatMap((connection) => {
    const check = checks[connection.id];
    return check?.status === 'failed' ? [{ connection, error: check.error }] : [];
  });

  return (
    <>
      {connections.status === 'loading' ? <LoadingPanel label="Loading connections…" /> : null}
      {connections.status === 'error' ? <ErrorPanel error={connections.error} onRetry={connections.reload} /> : null}
      {notice === null ? null : (
        <p className="success-note" role="status" data-testid="connections-notice">
          {notice}
        </p>
      )}
      {actionError === null ? null : (
        <ApiErrorNote error={actionError} title="Could not delete the connection" testId="connection-delete-error" />
      )}
      {connections.status === 'ready' && list.length === 0 ? (
        <EmptyState title="No connections yet" testId="connections-empty">
          {isAdmin
            ? 'Add a PostgreSQL, MySQL or Trino connection below; editors can then register datasets from SQL on it.'
            : 'A project admin can add PostgreSQL, MySQL or Trino connections; you can then register datasets from them.'}
        </EmptyState>
      ) : null}
      {list.length > 0 ? (
        <div className="card card-flush">
          <table className="table" data-testid="connections-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Kind</th>
                <th>Host</th>
                <th>Database</th>
                <th>User</th>
                <th>Created</th>
                <th>Status</th>
                <th className="actions-col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((connection) => {
                const check = checks[connection.id];
                return (
                  <tr key={connection.id} data-testid={`connection-row-${connection.name}`}>
                    <td>
                      <span className="cell-title">{connection.name}</span>
                      <span className="cell-sub mono">{connection.id}</span>
                    </td>
                    <td>
                      <span className={`pill pill-conn pill-conn-${connection.kind}`}>
                        {KIND_LABELS[connection.kind]}
                      </span>
                    </td>
                    <td className="mono">
                      {connection.host}:{connection.port}
                      {connection.ssl ? <span className="cell-sub">TLS</span> : null}
                    </td>
                    <td className="mono">{connection.database}</td>
                    <td className="mono">{connection.user}</td>
                    <td title={formatDateTime(connection.createdAt)}>{formatAge(connection.createdAt)}</td>
                    <td data-testid="connection-status">
                      {check === undefined ? <span className="faint">Not tested</span> : null}
                      {check?.status === 'testing' ? <span className="muted">Testing…</span> : null}
                      {check?.status === 'ok' ? (
                        <span className="pill pill-succeeded" data-testid="connection-ok">
                          <span className="pill-dot" aria-hidden="true" />
                          OK · {formatDuration(check.check.latencyMs)}
                        </span>
                      ) : null}
                      {check?.status === 'failed' ? (
                        <span className="pill pill-failed" data-testid="connection-failed">
                          <span className="pill-dot" aria-hidden="true" />
                          Failed
                        </span>
                      ) : null}
                    </td>
                    <td className="actions-col">
                      {confirming === connection.id ? (
                        <span className="confirm" data-testid="connection-confirm">
                          Delete {connection.name}?
                          <button
                            type="button"
                            className="button button-danger button-small"
                            disabled={deleting}
                            onClick={() => void remove(connection)}
                            data-testid="connection-confirm-delete"
                          >
                            {deleting ? 'Deleting…' : 'Delete'}
                          </button>
                          <button
                            type="button"
                            className="button button-secondary button-small"
                            onClick={() => setConfirming(null)}
                          >
                            Cancel
                          </button>
                        </span>
                      ) : (
                        <span className="row-actions">
                          <button
                            type="button"
                            className="button button-secondary button-small"
                            disabled={check?.status === 'testing'}
                            onClick={() => void test(connection)}
                            data-testid="connection-test"
                          >
                            Test
                          </button>
                          {isAdmin ? (
                            <button
                              type="button"
                              className="button button-danger-ghost button-small"
                              onClick={() => {
                                setNotice(null);
                                setConfirming(connection.id);
                              }}
                              data-testid="connection-delete"
                            >
                              Delete
                            </button>
                          ) : null}
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {failed.map(({ connection, error }) => (
        <ApiErrorNote
          key={connection.id}
          error={error}
          title={`Test of ${connection.name} failed`}
          hint="Check the host, port and database, that the server accepts connections from Modelyard, and the user and password."
          testId={`connection-error-${connection.name}`}
        />
      ))}
      {isAdmin ? (
        <ConnectionForm
          project={project}
          onCreated={(created) => {
            setNotice(`Added connection ${created.name}. Press Test to check that Modelyard can reach it.`);
            connections.reload();
          }}
        />
      ) : (
        <p className="hint">Only project admins can add or delete connections.</p>
      )}
    </>
  );
}
