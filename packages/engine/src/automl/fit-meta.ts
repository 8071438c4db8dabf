// Fits a stacked ensemble's meta-learner: a ridge GLM on the bases' out-of-fold outputs, optionally keeping only
// bases with a non-negative weight.
import type { GlmArtifact, LinearGlmModel } from '../artifact/model-artifact.js';
import { metaFrame } from '../artifact/stacked-features.js';
import type { Column } from '../frame/column.js';
import { Frame } from '../frame/frame.js';
import { trainGlmModel } from '../glm/train-glm-model.js';

export interface MetaParams {
  target: string;
  task: 'classification' | 'regression';
  classes: string[] | undefined;
  /** Ridge penalty (alpha 0) of the meta GLM. */
  lambda: number;
  /** Binary and regression: drop bases with a negative weight and refit. */
  nonNegative: boolean;
}

/**
 * `outputs[b]` holds base b's predictions per row (row-major, one value or one probability per class, as
 * predictFrame). The engine's GLM has no bound constraints, so non-negativity (H2O's default) is approximated by
 * backward elimination: while some base weighs in negatively, the most negative one is removed and the GLM refitted;
 * a single remaining base is kept whatever its sign. Multiclass meta models (one weight per class and feature, only
 * identified up to a shift across classes) are fitted unconstrained. Returns the meta GLM, whose features are named
 * after the kept bases' positions among themselves, and the kept bases' indices into `outputs`.
 */
export function fitMeta(
  outputs: Float64Array[],
  y: Float64Array,
  params: MetaParams,
): { meta: GlmArtifact; kept: number[] } {
  const single = params.classes === undefined || params.classes.length === 2;
  let kept = outputs.map((_, b) => b);
  for (;;) {
    const meta = fitGlm(
      kept.map((b) => outputs[b]!),
      y,
      params,
    );
    if (!params.nonNegative || !single || kept.length === 1) return { meta, kept };
    const weights = (meta.model as LinearGlmModel).coefficients;
    let worst = -1;
    weights.forEach((w, j) => {
      if (w < 0 && (worst < 0 || w < weights[worst]!)) worst = j;
    });
    if (worst < 0) return { meta, kept };
    kept = kept.filter((_, j) => j !== worst);
  }
}

function fitGlm(outputs: Float64Array[], y: Float64Array, params: MetaParams): GlmArtifact {
  const { target, task, classes } = params;
  const features = metaFrame(outputs, y.length, classes);
  // Class indices as a number target keep the stacked model's class order whatever the labels' sort; the labels are
  // put back afterwards.
  const response: Column = { kind: 'number', name: target, values: y };
  const frame = Frame.fromColumns([...features.names.map((name) => features.column(name)), response]);
  const { artifact } = trainGlmModel(frame, {
    target,
    task,
    features: features.names,
    params: { lambda: params.lambda, alpha: 0, testFraction: 0 },
  });
  return classes === undefined ? artifact : { ...artifact, classes: [...classes] };
}
