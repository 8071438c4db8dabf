// An endpoint's drift: the share of drifted features (and the output's drift score) report by report, and the
// newest report column by column, with a button that compares the last 24 hours with the training profile now.
import { useState } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DriftReport } from '@modelyard/client';
import { EmptyState } from './empty-state';
import { ErrorPanel } from './error-panel';
import { formatDateTime } from './format';
import { LoadingPanel } from './loading-panel';
import { useSession } from './session-context';
import { useAsync } from './use-async';

const formatScore = (value: number | null): string =>
  value === null ? '—' : Math.abs(value) < 1e-4 && value !== 0 ? value.toExponential(2) : value.toFixed(4);

function DriftChart({ reports }: { reports: DriftReport[] }) {
  const data = [...reports].reverse().map((r) => ({
    at: formatDateTime(r.createdAt),
    drifted: r.testedColumns === 0 ? 0 : r.driftedColumns / r.testedColumns,
    output: r.prediction?.score ?? null,
  }));
  return (
    <div className="chart" data-testid="chart-drift" style={{ height: 200 }}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 4, right: 8, bottom: 4, left: 4 }}>
          <CartesianGrid vertical={false} stroke="#eef0f4" />
          <XAxis dataKey="at" tick={{ fontSize: 11, fill: '#64748b' }} axisLine={false} tickLine={false} />
          <YAxis tick={{ fontSize: 11, fill: '#64748b' }} axisLine={false} tickLine={false} width={40} />
          <Tooltip formatter={(value, name) => [formatScore(Number(value)), String(name)]} />
          <Line
            name="share of features drifted"
            dataKey="drifted"
            stroke="#6366f1"
            dot={false}
            isAnimationActive={false}
          />
          <Line name="output drift score" dataKey="output" stroke="#f59e0b" dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

function LatestReport({ report }: { report: DriftReport }) {
  const rows = report.prediction ? [...report.columns, report.prediction] : report.columns;
  return (
    <div className="card card-flush">
      <p className="cell-sub" style={{ padding: '10px 14px' }} data-testid="drift-summary">
        {report.driftedColumns} of {report.testedColumns} features drifted
        {report.datasetDrift ? ' — dataset drift' : ''} · {report.currentRows} rows from{' '}
        {formatDateTime(report.window.from)} to {formatDateTime(report.window.to)} against{' '}
        {report.reference.kind === 'training' ? 'the training profile' : 'an earlier window'} ({report.referenceRows}{' '}
        rows)
      </p>
      <table className="table" data-testid="drift-columns">
        <thead>
          <tr>
            <th>Column</th>
            <th>Test</th>
            <th className="num">Score</th>
            <th className="num">Threshold</th>
            <th>Drift</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.column} data-testid={`drift-row-${c.column}`}>
              <td>{c.column}</td>
              <td>{c.pValue === null ? c.test : `${c.test} (p-value)`}</td>
              <td className="num">{formatScore(c.score)}</td>
              <td className="num">{c.threshold}</td>
              <td>{c.drifted ? <strong className="form-error">drifted</strong> : 'no'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.skipped.length > 0 && (
        <p className="cell-sub">Not tested: {report.skipped.map((s) => `${s.column} (${s.reason})`).join('; ')}</p>
      )}
    </div>
  );
}

export function DriftPanel({ endpointId, canRun }: { endpointId: string; canRun: boolean }) {
  const { client } = useSession();
  const reports = useAsync(() => client.driftReports(endpointId, { limit: 200 }), [client, endpointId]);
  const [running, setRunning] = useState(false);
  const [runError, setRunError] = useState<unknown>(undefined);
  const runNow = async () => {
    setRunning(true);
    setRunError(undefined);
    try {
      await client.runDrift(endpointId);
      reports.reload();
    } catch (error) {
      setRunError(error);
    } finally {
      setRunning(false);
    }
  };
  return (
    <section className="drift-panel" data-testid={`drift-panel-${endpointId}`}>
      {canRun && (
        <button type="button" className="button" onClick={() => void runNow()} disabled={running}>
          {running ? 'Comparing…' : 'Compare the last 24 h with training'}
        </button>
      )}
      {runError !== undefined && <ErrorPanel error={runError} />}
      {reports.status === 'loading' && <LoadingPanel label="Loading drift reports…" />}
      {reports.status === 'error' && <ErrorPanel error={reports.error} />}
      {reports.status === 'ready' &&
        (reports.data.length === 0 ? (
          <EmptyState title="No drift reports yet" testId="drift-empty">
            Compare traffic with the training profile now, or set a schedule with{' '}
            <code>PUT /api/v1/endpoints/{endpointId}/drift-monitor</code>.
          </EmptyState>
        ) : (
          <>
            <DriftChart reports={reports.data} />
            <LatestReport report={reports.data[0]!} />
          </>
        ))}
    </section>
  );
}
