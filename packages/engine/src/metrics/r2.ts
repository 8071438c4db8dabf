// Coefficient of determination, equal to scikit-learn's r2_score (constant yTrue: 1 if predicted exactly, else 0).
import { checkLengths } from './check-lengths.js';

export function r2(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = checkLengths(yTrue, yPred);
  if (n === 0) return Number.NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i]!;
  mean /= n;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    residual += (yTrue[i]! - yPred[i]!) ** 2;
    total += (yTrue[i]! - mean) ** 2;
  }
  if (total === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / total;
}
