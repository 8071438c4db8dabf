// The global explanation the server stores per model version (explanation.json): mean |SHAP| per feature where exact
// SHAP exists, permutation importance, and partial dependence of the top features.
import { predictFrame } from '../artifact/predict-frame.js';
import type { ModelArtifact } from '../artifact/model-artifact.js';
import type { Frame } from '../frame/frame.js';
import { logLoss } from '../metrics/log-loss.js';
import { multiclassLogLoss } from '../metrics/multiclass-log-loss.js';
import { rmse } from '../metrics/rmse.js';
import { explainFrame, hasExactShap } from './explain-frame.js';
import { partialDependenceSteps, type PartialDependence } from './partial-dependence.js';
import { permutationImportanceSteps } from './permutation-importance.js';
import { allRows, sampleRows, type AsyncPredictFunction } from './predict-function.js';
import { runScoringSteps, runScoringStepsAsync, type ScoringSteps } from './scoring-steps.js';

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

/** What the model-agnostic parts need to know of a model besides its scorer. */
export interface ExplainedModel {
  /** Named in the result: an artifact's `model.kind` (glm, gbdt, forest, stacked), or the caller's (e.g. onnx). */
  kind: string;
  task: 'classification' | 'regression';
  /** Input features, in order: each is permuted, and ranked for partial dependence. */
  features: string[];
  /** The frame column holding the target; permutation importance is skipped when the frame lacks it. */
  target: string;
  /** Class labels in output order (classification): a binary model predicts P(classes[1]), more classes n × k. */
  classes?: readonly string[];
}

export interface GlobalExplanation {
  version: 1;
  /** The explained model's kind. */
  model: string;
  /** The model's input features, in order. */
  features: string[];
  /** Rows the explanation was computed on. */
  rows: number;
  /** Mean |SHAP| per feature; null for models without exact SHAP (stacked ensembles, models scored elsewhere). */
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
  const shap = hasExactShap(artifact) ? (rows: Frame) => meanAbsShap(artifact, rows) : undefined;
  const steps = globalExplanationSteps(explainedModelOf(artifact), frame, options, shap);
  return runScoringSteps(steps, (f) => predictFrame(artifact, f));
}

/**
 * The same explanation, without SHAP, for a model scored asynchronously (an imported ONNX model): `predict` returns
 * what `predictFrame` would (values; P(classes[1]) for two classes; n × k class probabilities for more). Its
 * permutation importance and curves equal `globalExplanation`'s for a model that scores alike.
 */
export function globalExplanationOf(
  model: ExplainedModel & { predict: AsyncPredictFunction },
  frame: Frame,
  options: GlobalExplanationOptions = {},
): Promise<GlobalExplanation> {
  return runScoringStepsAsync(globalExplanationSteps(model, frame, options), model.predict);
}

/** An artifact as the model-agnostic parts see it. */
export function explainedModelOf(artifact: ModelArtifact): ExplainedModel {
  return {
    kind: artifact.model.kind,
    task: artifact.task,
    features: artifact.features.map((spec) => spec.name),
    target: artifact.target,
    ...(artifact.classes !== undefined && { classes: artifact.classes }),
  };
}

function* globalExplanationSteps(
  model: ExplainedModel,
  frame: Frame,
  options: GlobalExplanationOptions,
  shapOf?: (rows: Frame) => NonNullable<GlobalExplanation['shap']>,
): ScoringSteps<GlobalExplanation> {
  const seed = options.seed ?? 0;
  const maxRows = options.maxRows ?? 2000;
  const features = [...model.features];
  const labelled = frame.has(model.target) ? targetOf(model, frame) : undefined;
  const sample = sampleRows(labelled?.rows ?? allRows(frame.nRows), maxRows, seed);
  const rows = frame.take(sample);
  const shap = shapOf?.(rows) ?? null;

  let permutation: GlobalExplanation['permutation'] = null;
  if (labelled !== undefined && sample.length > 0) {
    const y = Float64Array.from(sample, (row) => labelled.y[labelled.position[row]!]!);
    const k = model.classes?.length ?? 1;
    const scored =
      model.task === 'regression'
        ? { metric: 'rmse' as const, fn: (t: ArrayLike<number>, p: Float64Array) => rmse(t, p) }
        : k > 2
          ? {
              metric: 'multiclass_log_loss' as const,
              fn: (t: ArrayLike<number>, p: Float64Array) => multiclassLogLoss(t, p, k),
            }
          : { metric: 'log_loss' as const, fn: (t: ArrayLike<number>, p: Float64Array) => logLoss(t, p) };
    const repeats = options.repeats ?? 5;
    const result = yield* permutationImportanceSteps({
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
  const partial: PartialDependence[] = [];
  for (const feature of ranked.slice(0, options.topK ?? 5)) {
    partial.push(
      yield* partialDependenceSteps({
        frame: rows,
        feature,
        gridSize: options.gridSize ?? 20,
        maxRows,
        iceRows: options.iceRows ?? 10,
        seed,
      }),
    );
  }
  // ICE rows are reported as rows of the caller's frame, not of the sample.
  for (const curve of partial) for (const ice of curve.ice) ice.row = sample[ice.row]!;

  return {
    version: 1,
    model: model.kind,
    features,
    rows: sample.length,
    shap,
    permutation,
    partialDependence: partial,
  };
}

/** Mean |SHAP| per feature and output over the rows, from the artifact's exact SHAP values. */
function meanAbsShap(artifact: ModelArtifact, rows: Frame): NonNullable<GlobalExplanation['shap']> {
  const features = artifact.features.map((spec) => spec.name);
  const values = explainFrame(artifact, rows);
  const k = values.outputs.length;
  const n = values.nRows;
  return {
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

/**
 * Rows whose target is usable, with the response the metrics want: the class index in `classes`, or the value.
 * `position[row]` is the row's index in `y` (-1 when unusable).
 */
function targetOf(
  model: ExplainedModel,
  frame: Frame,
): { rows: Int32Array; y: Float64Array; position: Int32Array } | undefined {
  const column = frame.column(model.target);
  const n = frame.nRows;
  const position = new Int32Array(n).fill(-1);
  const y: number[] = [];
  const rows: number[] = [];
  const keep = (i: number, v: number) => {
    position[i] = y.length;
    rows.push(i);
    y.push(v);
  };
  if (model.task === 'regression') {
    if (column.kind !== 'number') return undefined;
    for (let i = 0; i < n; i++) if (Number.isFinite(column.values[i]!)) keep(i, column.values[i]!);
  } else {
    const index = new Map((model.classes ?? []).map((label, c) => [label, c]));
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
