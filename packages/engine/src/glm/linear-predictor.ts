// b0 + X b for every row of a design matrix: one output's linear predictor.
import { addProduct, type DesignMatrix } from '../preprocess/design-matrix.js';

export function linearPredictor(x: DesignMatrix, intercept: number, beta: ArrayLike<number>): Float64Array {
  const eta = new Float64Array(x.nRows).fill(intercept);
  addProduct(eta, x, beta, 1);
  return eta;
}
