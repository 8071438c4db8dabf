// Reliability diagram data, equal to scikit-learn's calibration_curve: observed vs mean predicted rate per bin.
import { EngineError } from '../errors.js';
import { checkBinaryTruth } from './class-labels.js';
import { checkInputs } from './check-inputs.js';

export interface CalibrationOptions {
  /** Default 5, as scikit-learn. */
  nBins?: number;
  /** `uniform`: equal-width bins on [0, 1] (default); `quantile`: edges at the quantiles of `prob`. */
  strategy?: 'uniform' | 'quantile';
}

export interface CalibrationCurve {
  /** Share of class 1 in each non-empty bin. */
  probTrue: Float64Array;
  /** Mean predicted probability in each non-empty bin. */
  probPred: Float64Array;
}

/**
 * Empty bins are dropped, so the arrays may be shorter than `nBins`. A probability equal to an inner edge falls in
 * the lower bin (NumPy's `searchsorted` from the left); the edges are computed with NumPy's floating-point steps so
 * that such ties land where scikit-learn puts them.
 */
export function calibrationCurve(
  yTrue: ArrayLike<number>,
  prob: ArrayLike<number>,
  opts: CalibrationOptions = {},
): CalibrationCurve {
  const n = checkInputs(yTrue, prob);
  checkBinaryTruth(yTrue);
  const nBins = opts.nBins ?? 5;
  const strategy = opts.strategy ?? 'uniform';
  if (!Number.isInteger(nBins) || nBins < 1) {
    throw new EngineError('invalid_param', `nBins must be a positive integer, got ${nBins}`, { nBins });
  }
  if (strategy !== 'uniform' && strategy !== 'quantile') {
    throw new EngineError('invalid_param', `strategy must be uniform or quantile, got ${String(strategy)}`);
  }
  for (let i = 0; i < n; i++) {
    if (prob[i]! < 0 || prob[i]! > 1) {
      throw new EngineError('invalid_input', `prob[${i}] is ${prob[i]}, outside [0, 1]`, {
        argument: 'prob',
        index: i,
      });
    }
  }
  const edges = strategy === 'uniform' ? linspace(nBins) : quantileEdges(prob, nBins);
  const sums = new Float64Array(nBins);
  const positives = new Float64Array(nBins);
  const totals = new Float64Array(nBins);
  for (let i = 0; i < n; i++) {
    // The bin is the number of inner edges strictly below the probability.
    let bin = 0;
    while (bin < nBins - 1 && edges[bin + 1]! < prob[i]!) bin++;
    sums[bin]! += prob[i]!;
    positives[bin]! += yTrue[i]!;
    totals[bin]!++;
  }
  const probTrue: number[] = [];
  const probPred: number[] = [];
  for (let b = 0; b < nBins; b++) {
    if (totals[b] === 0) continue;
    probTrue.push(positives[b]! / totals[b]!);
    probPred.push(sums[b]! / totals[b]!);
  }
  return { probTrue: Float64Array.from(probTrue), probPred: Float64Array.from(probPred) };
}

/** `np.linspace(0, 1, nBins + 1)`: i * (1 / nBins), the last edge exactly 1. */
function linspace(nBins: number): Float64Array {
  const step = 1 / nBins;
  const edges = new Float64Array(nBins + 1);
  for (let i = 0; i < nBins; i++) edges[i] = i * step;
  edges[nBins] = 1;
  return edges;
}

/** `np.percentile(prob, linspace * 100)` with NumPy's default linear method, step for step. */
function quantileEdges(prob: ArrayLike<number>, nBins: number): Float64Array {
  const sorted = Float64Array.from(prob).sort();
  const n = sorted.length;
  const q = linspace(nBins);
  const edges = new Float64Array(nBins + 1);
  for (let i = 0; i <= nBins; i++) {
    const virtualIndex = (n - 1) * ((q[i]! * 100) / 100);
    if (virtualIndex >= n - 1) {
      edges[i] = sorted[n - 1]!;
      continue;
    }
    const previous = Math.floor(virtualIndex);
    const gamma = virtualIndex - previous;
    const a = sorted[previous]!;
    const b = sorted[previous + 1]!;
    const diff = b - a;
    edges[i] = gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
  }
  return edges;
}
