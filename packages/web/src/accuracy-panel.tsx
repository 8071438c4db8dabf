// An endpoint's accuracy from delayed feedback labels: the headline metric per bucket of prediction time and rolling
// over the last 7 days (what an SLA alert rule reads), with the newest rolling window's metrics.
import { useState } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AccuracySeries, LabelledMetricName } from '@modelyard/client';
import { EmptyState } from './empty-state';
import { ErrorPanel } from './error-panel';
import { formatDateTime } from './format';
import { LoadingPanel } from './loading-panel';
import { useSession } from './session-context';
import { useAsync } from './use-async';

const WINDOW = '7d';
const BUCKETS = { '1h': 'hourly', '1d': 'daily' } as const;
type Bucket = keyof typeof BUCKETS;

const formatMetric = (value: number | null | undefined): string =>
  value === null || value === undefined ? '—' : value.toFixed(4);

/** AUC when two classes make it defined somewhere, else accuracy; RMSE for regression. */
function headline(series: AccuracySeries): LabelledMetricName {
  if (series.task === 'regression') return 'rmse';
  const hasAuc = series.buckets.some((b) => (b.rolling?.metrics.auc ?? null) !== null);
  return hasAuc ? 'auc' : 'accuracy';
}

function AccuracyChart({ series, metric }: { series: AccuracySeries; metric: LabelledMetricName }) {
  const data = series.buckets.map((b) => ({
    at: formatDateTime(b.to),
    bucket: b.metrics[metric] ?? null,
    rolling: b.rolling?.metrics[metric] ?? null,
    count: b.count,
  }));
  return (
    <div className="chart" data-testid="chart-accuracy" style={{ height: 200 }}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 4, right: 8, bottom: 4, left: 4 }}>
          <CartesianGrid vertical={false} stroke="#eef0f4" />
          <XAxis dataKey="at" tick={{ fontSize: 11, fill: '#64748b' }} axisLine={false} tickLine={false} />
          <YAxis tick={{ fontSize: 11, fill: '#64748b' }} axisLine={false} tickLine={false} width={40} />
          <Tooltip formatter={(value, name) => [formatMetric(value === null ? null : Number(value)), String(name)]} />
          <Line
            name={`${metric} per bucket`}
            dataKey="bucket"
            stroke="#6366f1"
            dot={{ r: 2 }}
            connectNulls={false}
            isAnimationActive={false}
          />
          <Line
            name={`${metric} over ${WINDOW}`}
            dataKey="rolling"
            stroke="#10b981"
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

export function AccuracyPanel({ endpointId }: { endpointId: string }) {
  const { client } = useSession();
  const [bucket, setBucket] = useState<Bucket>('1h');
  const series = useAsync(() => client.accuracy(endpointId, { bucket, window: WINDOW }), [client, endpointId, bucket]);
  return (
    <section className="accuracy-panel" data-testid={`accuracy-panel-${endpointId}`}>
      <h3>Accuracy from feedback labels</h3>
      <div className="segmented" role="group" aria-label="Bucket">
        {(Object.keys(BUCKETS) as Bucket[]).map((b) => (
          <button
            key={b}
            type="button"
            className={`button button-small ${b === bucket ? '' : 'button-secondary'}`}
            aria-pressed={b === bucket}
            onClick={() => setBucket(b)}
          >
            {BUCKETS[b]}
          </button>
        ))}
      </div>
      {series.status === 'loading' && <LoadingPanel label="Loading accuracy…" />}
      {series.status === 'error' && <ErrorPanel error={series.error} />}
      {series.status === 'ready' &&
        (series.data.records === 0 ? (
          <EmptyState title="No labelled predictions yet" testId="accuracy-empty">
            Send the true labels of answered requests with <code>POST /api/v1/endpoints/{endpointId}/feedback</code>.
          </EmptyState>
        ) : (
          <AccuracySummary series={series.data} />
        ))}
    </section>
  );
}

function AccuracySummary({ series }: { series: AccuracySeries }) {
  const metric = headline(series);
  const latest = series.buckets.at(-1)?.rolling ?? null;
  return (
    <>
      <AccuracyChart series={series} metric={metric} />
      <p className="cell-sub" data-testid="accuracy-summary">
        {latest?.count ?? 0} labelled records over the last {WINDOW}
        {series.truncated ? ' (the oldest read only)' : ''} ·{' '}
        {series.metrics.map((m) => `${m} ${formatMetric(latest?.metrics[m])}`).join(' · ')}
      </p>
    </>
  );
}
