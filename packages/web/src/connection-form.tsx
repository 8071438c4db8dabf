// Adds a database connection to a project (admins): where it is, who to log in as, and the password, sent once.
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { Connection, ConnectionKind, CreateConnection } from '@modelyard/client';
import { ApiErrorNote } from './api-error-note';
import { useSession } from './session-context';

export const KIND_LABELS: Record<ConnectionKind, string> = {
  postgres: 'PostgreSQL',
  mysql: 'MySQL',
  trino: 'Trino',
};

const DEFAULT_PORTS: Record<ConnectionKind, number> = { postgres: 5432, mysql: 3306, trino: 8080 };
/** The server's rules, checked here too so a typo is caught before a round trip. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const HOST = /^[A-Za-z0-9._:-]+$/;

interface Draft {
  name: string;
  kind: ConnectionKind;
  host: string;
  port: string;
  database: string;
  user: string;
  password: string;
  ssl: boolean;
}

const EMPTY: Draft = {
  name: '',
  kind: 'postgres',
  host: '',
  port: String(DEFAULT_PORTS.postgres),
  database: '',
  user: '',
  password: '',
  ssl: false,
};

/** The body to send, or the first problem with the draft in words. */
function check(draft: Draft): CreateConnection | string {
  const name = draft.name.trim();
  const host = draft.host.trim();
  const port = Number(draft.port);
  if (!NAME.test(name)) return 'Name: letters, digits, ".", "_" or "-", starting with a letter or digit.';
  if (!HOST.test(host)) return 'Host: a host name or address only, without a scheme, path or credentials.';
  if (!Number.isInteger(port) || port < 1 || port > 65535) return 'Port: a whole number from 1 to 65535.';
  if (draft.database.trim() === '') return 'Database: the database (Trino: catalog) to read from.';
  if (draft.user.trim() === '') return 'User: the account to connect as.';
  return {
    name,
    kind: draft.kind,
    host,
    port,
    database: draft.database.trim(),
    user: draft.user.trim(),
    password: draft.password,
    ssl: draft.ssl,
  };
}

export function ConnectionForm({ project, onCreated }: { project: string; onCreated: (c: Connection) => void }) {
  const { client } = useSession();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]): void => setDraft((d) => ({ ...d, [key]: value }));

  const setKind = (kind: ConnectionKind): void =>
    setDraft((d) => ({
      ...d,
      kind,
      // The port follows the kind unless someone typed their own.
      port: d.port === String(DEFAULT_PORTS[d.kind]) ? String(DEFAULT_PORTS[kind]) : d.port,
    }));

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const body = check(draft);
    if (typeof body === 'string') {
      setError(new Error(body));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const created = await client.createConnection(project, body);
      setDraft(EMPTY);
      onCreated(created);
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  };

  const field = (key: 'name' | 'host' | 'database' | 'user', label: string, placeholder: string) => (
    <div className="field">
      <label htmlFor={`conn-${key}`}>{label}</label>
      <input
        id={`conn-${key}`}
        type="text"
        value={draft[key]}
        onChange={(event) => set(key, event.target.value)}
        placeholder={placeholder}
        spellCheck={false}
        autoComplete="off"
        data-testid={`conn-${key}`}
      />
    </div>
  );

  return (
    <form
      className="card connection-form"
      onSubmit={(event) => void submit(event)}
      data-testid="connection-form"
      noValidate
    >
      <div>
        <p className="card-title">Add a connection</p>
        <p className="muted small">
          Editors can then register SQL datasets from it. The password is stored encrypted and is never shown again.
        </p>
      </div>
      <div className="form-grid">
        {field('name', 'Name', 'e.g. warehouse')}
        <div className="field">
          <label htmlFor="conn-kind">Kind</label>
          <select
            id="conn-kind"
            value={draft.kind}
            onChange={(event) => setKind(event.target.value as ConnectionKind)}
            data-testid="conn-kind"
          >
            {(Object.keys(KIND_LABELS) as ConnectionKind[]).map((kind) => (
              <option key={kind} value={kind}>
                {KIND_LABELS[kind]}
              </option>
            ))}
          </select>
        </div>
        {field('host', 'Host', 'db.internal')}
        <div className="field">
          <label htmlFor="conn-port">Port</label>
          <input
            id="conn-port"
            type="text"
            inputMode="numeric"
            value={draft.port}
            onChange={(event) => set('port', event.target.value)}
            data-testid="conn-port"
          />
        </div>
        {field('database', draft.kind === 'trino' ? 'Catalog' : 'Database', 'analytics')}
        {field('user', 'User', 'reader')}
        <div className="field">
          <label htmlFor="conn-password">Password</label>
          <input
            id="conn-password"
            type="password"
            value={draft.password}
            onChange={(event) => set('password', event.target.value)}
            autoComplete="new-password"
            data-testid="conn-password"
          />
        </div>
        <label className="checkbox-field">
          <input
            type="checkbox"
            checked={draft.ssl}
            onChange={(event) => set('ssl', event.target.checked)}
            data-testid="conn-ssl"
          />
          Use TLS (SSL)
        </label>
      </div>
      {error === null ? null : (
        <ApiErrorNote error={error} title="Could not add the connection" testId="connection-form-error" />
      )}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy} data-testid="conn-submit">
          {busy ? 'Adding…' : 'Add connection'}
        </button>
      </div>
    </form>
  );
}
