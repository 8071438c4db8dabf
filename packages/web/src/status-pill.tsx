// A run's status as a coloured pill; `running` pulses so live work stands out.
import type { RunStatus } from '@modelyard/client';

const LABELS: Record<RunStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  killed: 'Killed',
};

export function StatusPill({ status, progress }: { status: RunStatus; progress?: number }) {
  const showProgress = status === 'running' && progress !== undefined && progress > 0 && progress < 1;
  return (
    <span className={`pill pill-status pill-${status}`} data-testid="run-status" data-status={status}>
      <span className="pill-dot" aria-hidden="true" />
      {LABELS[status]}
      {showProgress ? ` · ${Math.round(progress * 100)}%` : null}
    </span>
  );
}
