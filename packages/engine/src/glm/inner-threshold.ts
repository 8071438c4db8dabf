// How tightly to solve each IRLS step's quadratic model (inexact Newton).

/**
 * Far from the optimum the quadratic model is rough, so solving it to the final tolerance wastes sweeps: the threshold
 * is 1e-3 of the last outer change, capped at 1e-6, and never below `tolerance`, which it reaches before an outer
 * loop may count itself converged.
 */
export function innerThreshold(tolerance: number, lastChange: number): number {
  return Math.max(tolerance, Math.min(1e-6, 1e-3 * lastChange));
}
