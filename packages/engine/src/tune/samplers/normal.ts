// Standard normal helpers for the Parzen estimators: tail probabilities, interval masses and truncated draws.
import type { Random } from '../../validation/random.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
/** Smallest mass a log is taken of: far tails underflow, and the prior component keeps mixtures well above it. */
const TINY = 1e-300;

/** erfc(x) for x >= 0 with fractional error < 1.2e-7 (Numerical Recipes' Chebyshev fit), accurate in the tail. */
function erfcPositive(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  const poly =
    -x * x -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return t * Math.exp(poly);
}

/** P(Z > z) for a standard normal Z. */
export function upperTail(z: number): number {
  return z >= 0 ? 0.5 * erfcPositive(z / Math.SQRT2) : 1 - 0.5 * erfcPositive(-z / Math.SQRT2);
}

/** log P(a < Z < b), a <= b, computed on the side of zero where it does not cancel. */
export function logNormalMass(a: number, b: number): number {
  let mass: number;
  if (a >= 0) mass = upperTail(a) - upperTail(b);
  else if (b <= 0) mass = upperTail(-b) - upperTail(-a);
  else mass = 1 - upperTail(b) - upperTail(-a);
  return Math.log(Math.max(mass, TINY));
}

/** log of the standard normal density at z. */
export function logNormalDensity(z: number): number {
  return -0.5 * z * z - LOG_SQRT_2PI;
}

/** A standard normal draw (Box–Muller, one value per two uniforms). */
export function normalDraw(random: Random): number {
  const u = 1 - random(); // (0, 1]: log stays finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * A draw from N(mu, sigma²) restricted to [low, high]. Rejection: the estimators keep mu inside and sigma at least
 * 1/100 of the range, so well over a third of the draws land inside; the clamp after many misses is a safety net.
 */
export function truncatedNormalDraw(mu: number, sigma: number, low: number, high: number, random: Random): number {
  for (let i = 0; i < 1000; i++) {
    const x = mu + sigma * normalDraw(random);
    if (x >= low && x <= high) return x;
  }
  return Math.min(high, Math.max(low, mu));
}
