// XGBoost's regularised leaf algebra: optimal weight and structure score of a node from its gradient sums.

/** The gradient sum after the L1 penalty's soft threshold. */
function shrink(g: number, alpha: number): number {
  return g > alpha ? g - alpha : g < -alpha ? g + alpha : 0;
}

/** The leaf value minimising sum(g) w + (h + lambda) w^2 / 2 + alpha |w|. */
export function leafWeight(g: number, h: number, lambda: number, alpha: number): number {
  const denominator = h + lambda;
  return denominator > 0 ? -shrink(g, alpha) / denominator : 0;
}

/** Twice the loss reduction of a leaf at its optimal weight; a split's gain is left + right - parent. */
export function leafScore(g: number, h: number, lambda: number, alpha: number): number {
  const denominator = h + lambda;
  if (!(denominator > 0)) return 0;
  const t = shrink(g, alpha);
  return (t * t) / denominator;
}
