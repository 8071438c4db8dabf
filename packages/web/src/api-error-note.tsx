// A failed action shown in place: the server's error code, its message, and any details it gave (e.g. a position).
import type { ReactNode } from 'react';
import { ApiError } from '@modelyard/client';
import { errorMessage } from './error-message';

function detailText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function ApiErrorNote({
  error,
  title,
  hint,
  testId,
}: {
  error: unknown;
  /** What failed, e.g. "Query failed". */
  title: string;
  /** What to try next, shown under the message. */
  hint?: ReactNode;
  testId?: string;
}) {
  const code = error instanceof ApiError ? error.code : undefined;
  const details = error instanceof ApiError && error.details !== undefined ? Object.entries(error.details) : [];
  return (
    <div className="error-note" role="alert" data-testid={testId ?? 'error-note'}>
      <p className="error-note-title">
        {title}
        {code === undefined ? null : (
          <code className="error-code" data-testid="error-code">
            {code}
          </code>
        )}
      </p>
      <p className="error-note-message" data-testid="error-message">
        {errorMessage(error)}
      </p>
      {details.length === 0 ? null : (
        <dl className="error-note-details">
          {details.map(([key, value]) => (
            <div key={key}>
              <dt>{key}</dt>
              <dd>{detailText(value)}</dd>
            </div>
          ))}
        </dl>
      )}
      {hint === undefined ? null : <p className="error-note-hint">{hint}</p>}
    </div>
  );
}
