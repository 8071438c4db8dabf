// Scores held-out predictions with the metrics a trainer reports on its holdout, and summarises them over folds.
import { multiclassMetrics } from '../gbdt/multiclass-metrics.js';
import { holdoutMetrics } from '../glm/holdout-metrics.js';

/**
 * The dispatch of training/holdout-result.ts on predictions already made: multiclass metrics over k > 1 outputs per
 * row, else the binary or regression holdout metrics. Undefined metrics are left out.
 */
export function foldMetrics(
  task: 'classification' | 'regression',
  outputs: number,
  y: Float64Array,
  predictions: Float64Array,
): Record<string, number> {
  return outputs > 1 ? multiclassMetrics(y, predictions, outputs) : holdoutMetrics(task, y, predictions);
}

/** Mean and sample standard deviation (divisor n - 1) of each metric that every fold reports. */
export function summariseFolds(folds: Record<string, number>[]): {
  mean: Record<string, number>;
  std: Record<string, number>;
} {
  const mean: Record<string, number> = {};
  const std: Record<string, number> = {};
  const first = folds[0];
  if (first === undefined) return { mean, std };
  for (const name of Object.keys(first)) {
    const values = folds.map((f) => f[name]);
    if (values.some((v) => v === undefined)) continue;
    const xs = values as number[];
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    mean[name] = m;
    if (xs.length > 1) std[name] = Math.sqrt(xs.reduce((a, x) => a + (x - m) * (x - m), 0) / (xs.length - 1));
  }
  return { mean, std };
}

/** values[positions[i]] for each position, `width` values each (row-major). */
export function gatherRows(values: Float64Array, positions: Int32Array, width: number): Float64Array {
  const out = new Float64Array(positions.length * width);
  for (let i = 0; i < positions.length; i++) {
    const from = positions[i]! * width;
    for (let c = 0; c < width; c++) out[i * width + c] = values[from + c]!;
  }
  return out;
}

/** Writes `values` (row-major, `width` each) back to `positions` of `into`. */
export function scatterRows(into: Float64Array, positions: Int32Array, values: Float64Array, width: number): void {
  for (let i = 0; i < positions.length; i++) {
    const to = positions[i]! * width;
    for (let c = 0; c < width; c++) into[to + c] = values[i * width + c]!;
  }
}
