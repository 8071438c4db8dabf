// A version's global explanation: mean |SHAP| per feature (what moves the model's output most) beside permutation
// importance (how much the loss grows when a feature is shuffled), and a button that computes it for editors.
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ApiError, type VersionExplanation } from '@modelyard/client';
import { ErrorPanel } from './error-panel';
import { formatStat } from './format';
import { LoadingPanel } from './loading-panel';
import { useSession } from './session-context';
import { useAsync } from './use-async';

function ImportanceChart({ explanation }: { explanation: VersionExplanation }) {
  const permutation = new Map(explanation.permutation?.importances.map((p) => [p.feature, p.mean]) ?? []);
  const data = explanation.features
    .map((feature) => ({
      feature,
      shap: explanation.shap?.meanAbs.find((m) => m.feature === feature)?.total ?? 0,
      permutation: permutation.get(feature) ?? 0,
    }))
    .sort((a, b) => b.shap - a.shap || b.permutation - a.permutation);
  const key = explanation.shap ? 'shap' : 'permutation';
  return (
    <div className="chart" data-testid="chart-importance" style={{ height: 28 * data.length + 40 }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid horizontal={false} stroke="#eef0f4" />
          <XAxis type="number" tick={{ fontSize: 11, fill: '#64748b' }} axisLine={false} tickLine={false} />
          <YAxis type="category" dataKey="feature" width={120} tick={{ fontSize: 12, fill: '#334155' }} />
          <Tooltip formatter={(value, name) => [formatStat(Number(value)), String(name)]} />
          <Bar
            dataKey={key}
            name={key === 'shap' ? `mean |SHAP| (${explanation.shap?.space})` : 'permutation importance'}
            fill="#6366f1"
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function ExplanationPanel({
  modelId,
  version,
  canCompute,
}: {
  modelId: string;
  version: number;
  canCompute: boolean;
}) {
  const { client } = useSession();
  const state = useAsync(async () => {
    try {
      return await client.versionExplanation(modelId, version);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  }, [client, modelId, version]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(undefined);
  const compute = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      await client.explainVersion(modelId, version);
      state.reload();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  if (state.status === 'loading') return <LoadingPanel label="Loading the explanation…" />;
  if (state.status === 'error') return <ErrorPanel error={state.error} />;
  const explanation = state.data;
  return (
    <section className="explanation-panel" data-testid={`explanation-${version}`}>
      {explanation === null ? (
        <p className="cell-sub">No explanation is stored for v{version} yet.</p>
      ) : (
        <>
          <p className="cell-sub">
            Computed on {explanation.rows} rows of the training data
            {explanation.permutation
              ? `; baseline ${explanation.permutation.metric} ${formatStat(explanation.permutation.baseline)}`
              : ''}
            .
          </p>
          <ImportanceChart explanation={explanation} />
        </>
      )}
      {canCompute && (
        <button
          type="button"
          className="button button-secondary button-small"
          disabled={busy}
          onClick={() => void compute()}
        >
          {busy ? 'Computing…' : explanation === null ? 'Compute the explanation' : 'Compute again'}
        </button>
      )}
      {failure !== undefined && <ErrorPanel error={failure} />}
    </section>
  );
}
