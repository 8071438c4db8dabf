// A failed load: the reason in plain words and a way to try again.
import { errorMessage } from './error-message';

export function ErrorPanel({
  error,
  onRetry,
  backHref,
}: {
  error: unknown;
  onRetry?: () => void;
  /** Where to go instead, e.g. the project list when a project does not exist. */
  backHref?: string;
}) {
  return (
    <div className="error-panel" role="alert" data-testid="error-panel">
      <div>
        <p className="error-panel-title">Something went wrong</p>
        <p className="error-panel-message">{errorMessage(error)}</p>
      </div>
      <div className="error-panel-actions">
        {backHref === undefined ? null : (
          <a className="button button-secondary" href={backHref}>
            All projects
          </a>
        )}
        {onRetry === undefined ? null : (
          <button type="button" className="button button-secondary" onClick={onRetry}>
            Try again
          </button>
        )}
      </div>
    </div>
  );
}
