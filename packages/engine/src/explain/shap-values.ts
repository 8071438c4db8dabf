// The shape every exact SHAP explainer returns: a baseline per output and one contribution per row, feature and output.

/**
 * Exact SHAP values of `nRows` rows. For every row and output c, expected[c] + Σ_j contribution(i, j, c) equals the
 * explained value: the raw margin of a GBDT (base score + trees, before sigmoid / softmax / exp), the linear predictor
 * of a GLM (before the link's inverse), or a forest's mean of its trees per output (before a multiclass forest
 * normalises its class shares and before a binary forest clamps to [0, 1]).
 */
export interface ShapValues {
  /** The players: the artifact's input features (`artifact.features` order, before any engine encoding). */
  features: string[];
  /** What each output explains: a regression's target, a binary model's positive class, else one entry per class. */
  outputs: string[];
  /** 'margin' for GBDT and GLM (the link space), 'mean' for forests (their output space). */
  space: 'margin' | 'mean';
  nRows: number;
  /** Baseline per output: the model's expected value under the explainer's reference distribution. */
  expected: number[];
  /**
   * nRows × features × outputs, outputs fastest: the contribution of feature j to output c of row i is
   * `contributions[(i * features.length + j) * outputs.length + c]`.
   */
  contributions: Float64Array;
}

/** The value of `contributions` at row i, feature j, output c. */
export function shapAt(values: ShapValues, i: number, j: number, c = 0): number {
  return values.contributions[(i * values.features.length + j) * values.outputs.length + c]!;
}

/** Output labels for an artifact with `k` explained outputs. */
export function outputLabels(target: string, classes: string[] | undefined, k: number): string[] {
  if (classes === undefined) return [target];
  if (k === 1) return [classes[1] ?? classes[0] ?? target];
  return classes.slice(0, k);
}
