// A version's global explanation: mean |SHAP| per feature (what moves the model's output most) beside permutation
// importance (how much the loss grows when a feature is shuffled), and a button that computes it for editors (for an
// imported ONNX version, on a dataset they name).
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ApiError, type VersionExplanation } from '@modelyard/client';
import { ErrorPanel } from './error-panel';
import { formatStat } from './format';
import { LoadingPanel } from './loading-panel';
import { useSession } from './session-context';
import { useAsync } from './use-async';
import { InlineForm } from './inline-form';

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
  onnx = false,
}: {
  modelId: string;
  version: number;
  canCompute: boolean;
  /** An imported ONNX version: it has no training data, so the editor names a dataset (and target) to explain it on. */
  onnx?: boolean;
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
  const [dataset, setDataset] = useState('');
  const [target, setTarget] = useState('');
  const compute = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      if (onnx) {
        const named = { dataset: dataset.trim(), ...(target.trim() !== '' && { target: target.trim() }) };
        await client.explainVersion(modelId, version, named);
      } else {
        await client.explainVersion(modelId, version);
      }
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
  const label = busy ? 'Computing…' : explanation === null ? 'Compute the explanation' : 'Compute again';
  return (
    <section className="explanation-panel" data-testid={`explanation-${version}`}>
      {explanation === null ? (
        <p className="cell-sub">No explanation is stored for v{version} yet.</p>
      ) : (
        <>
          <p className="cell-sub">
            Computed on {explanation.rows} rows of{' '}
            {explanation.model === 'onnx'
              ? `dataset version ${explanation.datasetVersion.slice(0, 12)}`
              : 'the training data'}
            {explanation.permutation
              ? `; baseline ${explanation.permutation.metric} ${formatStat(explanation.permutation.baseline)}`
              : ''}
            .
          </p>
          <ImportanceChart explanation={explanation} />
        </>
      )}
      {canCompute && !onnx && (
        <button
          type="button"
          className="button button-secondary button-small"
          disabled={busy}
          onClick={() => void compute()}
        >
          {label}
        </button>
      )}
      {canCompute && onnx && (
        <InlineForm onSubmit={() => void compute()}>
          <input
            aria-label="Dataset to explain the model on"
            placeholder="dataset with the model's inputs and target"
            value={dataset}
            onChange={(event) => setDataset(event.target.value)}
            data-testid={`explanation-dataset-${version}`}
          />
          <input
            aria-label="Target column"
            placeholder="target column (default the model's)"
            value={target}
            onChange={(event) => setTarget(event.target.value)}
          />
          <button
            type="submit"
            className="button button-secondary button-small"
            disabled={busy || dataset.trim() === ''}
          >
            {label}
          </button>
        </InlineForm>
      )}
      {failure !== undefined && <ErrorPanel error={failure} />}
    </section>
  );
}
