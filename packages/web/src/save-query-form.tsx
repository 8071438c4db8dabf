// Saves the whole result of the last workbench query as a derived dataset (editors and admins only).
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { Dataset } from '@modelyard/client';
import { ApiErrorNote } from './api-error-note';
import { formatInt } from './format';
import { useSession } from './session-context';
import { routeHref } from './use-hash-route';

/** The server's rule for dataset names, checked here too so a typo is caught before a round trip. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function SaveQueryForm({
  project,
  sql,
  existing,
  onSaved,
}: {
  project: string;
  /** The query to save; null until one has run. */
  sql: string | null;
  /** The project's dataset names: saving under one of them adds a version to it. */
  existing: string[];
  onSaved: (dataset: Dataset) => void;
}) {
  const { client } = useSession();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<Dataset | null>(null);

  const trimmed = name.trim();
  const invalidName = trimmed !== '' && !NAME.test(trimmed);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (sql === null) return;
    if (trimmed === '' || invalidName) {
      setError(
        new Error('Give the dataset a name: letters, digits, ".", "_" or "-", starting with a letter or digit.'),
      );
      return;
    }
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const dataset = await client.createDatasetFromQuery(project, {
        name: trimmed,
        sql,
        ...(description.trim() === '' ? {} : { description: description.trim() }),
      });
      setSaved(dataset);
      setName('');
      setDescription('');
      onSaved(dataset);
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card save-query" onSubmit={(event) => void submit(event)} data-testid="save-query-form" noValidate>
      <div>
        <p className="card-title">Save as dataset</p>
        <p className="muted small">
          Stores every row of the last query run (not just this page) as a dataset whose lineage names the versions it
          read. Saving under an existing name adds a version to that dataset.
        </p>
      </div>
      <div className="form-row">
        <div className="field">
          <label htmlFor="save-name">Name</label>
          <input
            id="save-name"
            type="text"
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder="e.g. income_by_age"
            aria-invalid={invalidName}
            spellCheck={false}
            autoComplete="off"
            data-testid="save-name"
          />
        </div>
        <div className="field field-wide">
          <label htmlFor="save-description">Description (optional)</label>
          <input
            id="save-description"
            type="text"
            className="input-plain"
            value={description}
            onChange={(event) => setDescription(event.target.value)}
            maxLength={4000}
            data-testid="save-description"
          />
        </div>
        <button
          type="submit"
          className="button button-primary"
          disabled={busy || sql === null}
          title={sql === null ? 'Run a query first' : undefined}
          data-testid="save-submit"
        >
          {busy ? 'Saving…' : existing.includes(trimmed) ? 'Add version' : 'Save dataset'}
        </button>
      </div>
      {sql === null ? <p className="faint small">Run a query first; its SQL is what gets saved.</p> : null}
      {error === null ? null : <ApiErrorNote error={error} title="Could not save the dataset" testId="save-error" />}
      {saved === null ? null : (
        <p className="success-note" role="status" data-testid="save-success">
          Saved <strong>{saved.name}</strong>
          {saved.latestVersion ? ` with ${formatInt(saved.latestVersion.rows)} rows` : ''}.{' '}
          <a href={routeHref({ project, tab: 'datasets', item: saved.id })} data-testid="save-open">
            Open it in Datasets
          </a>
        </p>
      )}
    </form>
  );
}
