// The global explanation the server stores per model version (explanation.json): mean |SHAP| per feature where exact
// SHAP exists, permutation importance, and partial dependence of the top features.
import { predictFrame } from '../artifact/predict-frame.js';
import type { ModelArtifact } from '../artifact/model-artifact.js';
import type { Frame } from '../frame/frame.js';
import { logLoss } from '../metrics/log-loss.js';
import { multiclassLogLoss } from '../metrics/multiclass-log-loss.js';
import { rmse } from '../metrics/rmse.js';
import { explainFrame, hasExactShap } from './explain-frame.js';
import { partialDependence, type PartialDependence } from './partial-dependence.js';
import { permutationImportance } from './permutation-importance.js';
import { allRows, sampleRows } from './predict-function.js';

export interface GlobalExplanationOptions {
  /** Rows explained and permuted (a seeded sample of the frame's rows with a target); default 2000. */
  maxRows?: number;
  /** Permutation repeats per feature; default 5. */
  repeats?: number;
  /** Features that get a partial-dependence curve, the most important first; default 5. */
  topK?: number;
  /** Grid points per curve; default 20. */
  gridSize?: number;
  /** ICE curves kept per feature; default 10. */
  iceRows?: number;
  seed?: number;
}

export interface GlobalExplanation {
  version: 1;
  /** The explained model's kind. */
  model: ModelArtifact['model']['kind'];
  /** The artifact's input features, in order. */
  features: string[];
  /** Rows the explanation was computed on. */
  rows: number;
  /** Mean |SHAP| per feature; null for models without exact SHAP (stacked ensembles). */
  shap: {
    /** 'margin': GBDT raw score / GLM linear predictor; 'mean': a forest's average of its trees. */
    space: 'margin' | 'mean';
    outputs: string[];
    expected: number[];
    /** Per feature (features order): the mean |contribution| per output, and their sum over the outputs. */
    meanAbs: { feature: string; values: number[]; total: number }[];
  } | null;
  /** Null when the frame has no usable target column. */
  permutation: {
    metric: 'log_loss' | 'multiclass_log_loss' | 'rmse';
    greaterIsBetter: false;
    baseline: number;
    repeats: number;
    importances: { feature: string; mean: number; std: number }[];
  } | null;
  /** The topK features by mean |SHAP| total (else by permutation importance), most important first. */
  partialDependence: PartialDependence[];
}

/**
 * Explains an artifact on a frame of its features (and, for permutation importance, its target). Predictions in
 * partial dependence are the model's outputs (probabilities for classifiers), as `predictFrame` returns them.
 * Everything returned is plain JSON (numbers, strings, arrays).
 */
export function globalExplanation(
  artifact: ModelArtifact,
  frame: Frame,
  options: GlobalExplanationOptions = {},
): GlobalExplanation {
  const seed = options.seed ?? 0;
  const maxRows = options.maxRows ?? 2000;
  const features = artifact.features.map((spec) => spec.name);
  const labelled = frame.has(artifact.target) ? targetOf(artifact, frame) : undefined;
  const sample = sampleRows(labelled?.rows ?? allRows(frame.nRows), maxRows, seed);
  const rows = frame.take(sample);
  const predict = (f: Frame) => predictFrame(artifact, f);

  let shap: GlobalExplanation['shap'] = null;
  if (hasExactShap(artifact)) {
    const values = explainFrame(artifact, rows);
    const k = values.outputs.length;
    const n = values.nRows;
    shap = {
      space: values.space,
      outputs: values.outputs,
      expected: values.expected,
      meanAbs: features.map((feature, j) => {
        const sums = new Array<number>(k).fill(0);
        for (let i = 0; i < n; i++) {
          for (let c = 0; c < k; c++) sums[c]! += Math.abs(values.contributions[(i * features.length + j) * k + c]!);
        }
        const means = sums.map((s) => (n > 0 ? s / n : 0));
        return { feature, values: means, total: means.reduce((a, b) => a + b, 0) };
      }),
    };
  }

  let permutation: GlobalExplanation['permutation'] = null;
  if (labelled !== undefined && sample.length > 0) {
    const y = Float64Array.from(sample, (row) => labelled.y[labelled.position[row]!]!);
    const k = artifact.classes?.length ?? 1;
    const scored =
      artifact.task === 'regression'
        ? { metric: 'rmse' as const, fn: (t: ArrayLike<number>, p: Float64Array) => rmse(t, p) }
        : k > 2
          ? {
              metric: 'multiclass_log_loss' as const,
              fn: (t: ArrayLike<number>, p: Float64Array) => multiclassLogLoss(t, p, k),
            }
          : { metric: 'log_loss' as const, fn: (t: ArrayLike<number>, p: Float64Array) => logLoss(t, p) };
    const repeats = options.repeats ?? 5;
    const result = permutationImportance({
      predict,
      frame: rows,
      target: y,
      metric: scored.fn,
      greaterIsBetter: false,
      features,
      repeats,
      seed,
    });
    permutation = {
      metric: scored.metric,
      greaterIsBetter: false,
      baseline: result.baseline,
      repeats,
      importances: result.importances.map(({ feature, mean, std }) => ({ feature, mean, std })),
    };
  }

  const score = new Map<string, number>();
  if (shap !== null) for (const { feature, total } of shap.meanAbs) score.set(feature, total);
  else if (permutation !== null) for (const { feature, mean } of permutation.importances) score.set(feature, mean);
  const ranked = [...features].sort((a, b) => (score.get(b) ?? 0) - (score.get(a) ?? 0));
  const partial = ranked.slice(0, options.topK ?? 5).map((feature) =>
    partialDependence({
      predict,
      frame: rows,
      feature,
      gridSize: options.gridSize ?? 20,
      maxRows,
      iceRows: options.iceRows ?? 10,
      seed,
    }),
  );
  // ICE rows are reported as rows of the caller's frame, not of the sample.
  for (const curve of partial) for (const ice of curve.ice) ice.row = sample[ice.row]!;

  return {
    version: 1,
    model: artifact.model.kind,
    features,
    rows: sample.length,
    shap,
    permutation,
    partialDependence: partial,
  };
}

/**
 * Rows whose target is usable, with the response the metrics want: the class index in `classes`, or the value.
 * `position[row]` is the row's index in `y` (-1 when unusable).
 */
function targetOf(
  artifact: ModelArtifact,
  frame: Frame,
): { rows: Int32Array; y: Float64Array; position: Int32Array } | undefined {
  const column = frame.column(artifact.target);
  const n = frame.nRows;
  const position = new Int32Array(n).fill(-1);
  const y: number[] = [];
  const rows: number[] = [];
  const keep = (i: number, v: number) => {
    position[i] = y.length;
    rows.push(i);
    y.push(v);
  };
  if (artifact.task === 'regression') {
    if (column.kind !== 'number') return undefined;
    for (let i = 0; i < n; i++) if (Number.isFinite(column.values[i]!)) keep(i, column.values[i]!);
  } else {
    const index = new Map((artifact.classes ?? []).map((label, c) => [label, c]));
    for (let i = 0; i < n; i++) {
      let label: string | undefined;
      if (column.kind === 'number') label = Number.isFinite(column.values[i]!) ? String(column.values[i]!) : undefined;
      else label = column.codes[i]! >= 0 ? column.dictionary[column.codes[i]!] : undefined;
      const c = label === undefined ? undefined : index.get(label);
      if (c !== undefined) keep(i, c);
    }
  }
  return rows.length === 0 ? undefined : { rows: Int32Array.from(rows), y: Float64Array.from(y), position };
}
