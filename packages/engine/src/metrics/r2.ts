// Coefficient of determination, equal to scikit-learn's r2_score (constant yTrue: 1 if predicted exactly, else 0).
import { EngineError } from '../errors.js';
import { checkInputs } from './check-inputs.js';

export function r2(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = checkInputs(yTrue, yPred);
  // scikit-learn warns and returns NaN below two rows.
  if (n < 2) throw new EngineError('undefined_metric', 'R² needs at least two rows', { rows: n });
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
