// The SQL workbench: one read-only SELECT over the project's datasets, paged, with errors as the server names them.
import { useRef, useState } from 'react';
import { ApiError } from '@modelyard/client';
import type { Dataset, Role, SqlResult } from '@modelyard/client';
import { ApiErrorNote } from './api-error-note';
import { isUnauthenticated } from './error-message';
import { formatDuration, formatInt } from './format';
import { QueryableDatasets, sqlIdentifier } from './queryable-datasets';
import { SaveQueryForm } from './save-query-form';
import { useSession } from './session-context';
import { SqlResultTable } from './sql-result-table';

const PAGE_SIZES = [50, 100, 500, 1000] as const;
const TIME_LIMITS_MS = [5_000, 30_000, 60_000] as const;

/** A query that ran, and where in its rows we are: the cursor of every page up to the one shown. */
interface Ran {
  sql: string;
  limit: number;
  timeoutMs: number;
  cursors: (string | undefined)[];
  result: SqlResult;
}

/** What to try after each error the workbench answers with. */
const ERROR_HINTS: Record<string, string> = {
  sql_error: 'Check the SQL against the tables on the right: names, columns and quoting.',
  not_a_select:
    'The workbench runs exactly one SELECT (WITH … SELECT is fine); no DDL, SET, COPY or several statements.',
  sql_refused: 'The workbench reads this project’s datasets only: no files, URLs, extensions or settings.',
  query_timeout: 'Aggregate or filter more, add a LIMIT, or raise the time limit.',
};

export function SqlTab({
  project,
  datasets,
  role,
  onDatasetSaved,
}: {
  project: string;
  datasets: Dataset[];
  role: Role;
  onDatasetSaved: () => void;
}) {
  const { client, onUnauthenticated } = useSession();
  const first = datasets[0];
  const [text, setText] = useState(first === undefined ? '' : `SELECT *\nFROM ${sqlIdentifier(first.name)}`);
  const [limit, setLimit] = useState<number>(100);
  const [timeoutMs, setTimeoutMs] = useState<number>(30_000);
  const [ran, setRan] = useState<Ran | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const editor = useRef<HTMLTextAreaElement>(null);
  // Only the newest request may update the view; an older, slower answer is dropped.
  const latest = useRef(0);

  const execute = async (query: Omit<Ran, 'result'>, fresh: boolean): Promise<void> => {
    const request = ++latest.current;
    setBusy(true);
    setError(null);
    try {
      const cursor = query.cursors[query.cursors.length - 1];
      const result = await client.sql(project, {
        sql: query.sql,
        limit: query.limit,
        timeoutMs: query.timeoutMs,
        ...(cursor === undefined ? {} : { cursor }),
      });
      if (request === latest.current) setRan({ ...query, result });
    } catch (reason) {
      if (request !== latest.current) return;
      if (isUnauthenticated(reason)) onUnauthenticated();
      setError(reason);
      // A new query that failed leaves no stale rows under its error; a failed page turn keeps the page shown.
      if (fresh) setRan(null);
    } finally {
      if (request === latest.current) setBusy(false);
    }
  };

  const runEditor = (): void => {
    const sql = text.trim();
    if (sql === '') {
      setError(new Error('Write a SELECT first, e.g. SELECT count(*) FROM <dataset>.'));
      return;
    }
    void execute({ sql, limit, timeoutMs, cursors: [undefined] }, true);
  };

  const insert = (snippet: string): void => {
    const area = editor.current;
    const start = area?.selectionStart ?? text.length;
    const end = area?.selectionEnd ?? text.length;
    setText(text.slice(0, start) + snippet + text.slice(end));
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(start + snippet.length, start + snippet.length);
    });
  };

  const page = ran === null ? 0 : ran.cursors.length - 1;
  const firstRow = ran === null ? 1 : page * ran.limit + 1;
  const code = error instanceof ApiError ? error.code : undefined;

  return (
    <div className="sql-workbench" data-testid="sql-tab">
      <div className="sql-top">
        <div className="card sql-editor-card">
          <label htmlFor="sql-editor" className="card-title">
            Query
          </label>
          <textarea
            id="sql-editor"
            ref={editor}
            className="sql-editor"
            value={text}
            onChange={(event) => setText(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
                event.preventDefault();
                runEditor();
              }
            }}
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            rows={8}
            placeholder="SELECT … FROM <dataset>"
            data-testid="sql-editor"
          />
          <div className="sql-toolbar">
            <button
              type="button"
              className="button button-primary"
              onClick={runEditor}
              disabled={busy}
              data-testid="sql-run"
            >
              {busy ? 'Running…' : 'Run'}
            </button>
            <span className="faint small">
              <kbd>Ctrl</kbd>/<kbd>⌘</kbd> + <kbd>Enter</kbd>
            </span>
            <span className="sql-toolbar-spacer" />
            <label className="inline-select">
              Rows per page
              <select value={limit} onChange={(event) => setLimit(Number(event.target.value))} data-testid="sql-limit">
                {PAGE_SIZES.map((size) => (
                  <option key={size} value={size}>
                    {size}
                  </option>
                ))}
              </select>
            </label>
            <label className="inline-select">
              Time limit
              <select value={timeoutMs} onChange={(event) => setTimeoutMs(Number(event.target.value))}>
                {TIME_LIMITS_MS.map((ms) => (
                  <option key={ms} value={ms}>
                    {ms / 1000} s
                  </option>
                ))}
              </select>
            </label>
          </div>
        </div>
        <QueryableDatasets datasets={datasets} onInsert={insert} />
      </div>

      {error === null ? null : (
        <ApiErrorNote
          error={error}
          title="Query failed"
          hint={code === undefined ? undefined : ERROR_HINTS[code]}
          testId="sql-error"
        />
      )}

      {ran === null ? null : (
        <div className="sql-results-block">
          <div className="sql-result-bar" data-testid="sql-summary">
            <span>
              {ran.result.rows.length === 0
                ? 'No rows'
                : `Rows ${formatInt(firstRow)}–${formatInt(firstRow + ran.result.rows.length - 1)}`}
              {ran.result.nextCursor === null ? '' : ' · more available'} · {ran.result.columns.length}{' '}
              {ran.result.columns.length === 1 ? 'column' : 'columns'} · {formatDuration(ran.result.elapsedMs)}
            </span>
            <span className="pager">
              <button
                type="button"
                className="button button-secondary button-small"
                disabled={busy || page === 0}
                onClick={() => void execute({ ...ran, cursors: ran.cursors.slice(0, -1) }, false)}
                data-testid="sql-prev"
              >
                ← Previous
              </button>
              <button
                type="button"
                className="button button-secondary button-small"
                disabled={busy || ran.result.nextCursor === null}
                onClick={() => {
                  const next = ran.result.nextCursor;
                  if (next !== null) void execute({ ...ran, cursors: [...ran.cursors, next] }, false);
                }}
                data-testid="sql-next"
              >
                Next →
              </button>
            </span>
          </div>
          <SqlResultTable result={ran.result} firstRow={firstRow} />
        </div>
      )}

      {ran === null && error === null ? (
        <p className="hint">Run a query to see its rows here. Each dataset is a table named after it.</p>
      ) : null}

      {role === 'viewer' ? null : (
        <SaveQueryForm
          project={project}
          sql={ran?.sql ?? null}
          existing={datasets.map((dataset) => dataset.name)}
          onSaved={onDatasetSaved}
        />
      )}
    </div>
  );
}
