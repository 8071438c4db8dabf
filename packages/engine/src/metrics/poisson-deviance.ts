// Mean Poisson deviance, equal to scikit-learn's mean_poisson_deviance.
import { EngineError } from '../errors.js';
import { checkInputs } from './check-inputs.js';

/** 2 · mean(y log(y / mu) - y + mu), with 0 log 0 = 0. Targets must be >= 0 and predictions > 0 (`invalid_input`). */
export function poissonDeviance(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = checkInputs(yTrue, yPred);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const y = yTrue[i]!;
    const mu = yPred[i]!;
    if (y < 0 || mu <= 0) {
      throw new EngineError(
        'invalid_input',
        `Poisson deviance needs yTrue >= 0 and yPred > 0 (row ${i}: ${y}, ${mu})`,
        {
          index: i,
        },
      );
    }
    sum += 2 * ((y === 0 ? 0 : y * Math.log(y / mu)) - y + mu);
  }
  return sum / n;
}
