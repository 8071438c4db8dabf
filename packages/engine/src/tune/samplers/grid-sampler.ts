// Exhaustive search: trial N gets point N of the space's grid, in a fixed (optionally seeded-shuffled) order.
import { EngineError } from '../../errors.js';
import { seededRandom, shuffle } from '../../validation/random.js';
import {
  intValues,
  isActive,
  validateSpace,
  type Dimension,
  type ParamValue,
  type Params,
  type SearchSpace,
} from '../space.js';
import type { TrialRecord } from '../trial-record.js';
import type { Sampler, SuggestOptions } from './sampler.js';

/** Grids above this many points are refused: enumerate a smaller space or use random or TPE search. */
export const MAX_GRID_POINTS = 1_000_000;

export interface GridSamplerOptions {
  /** Visit the points in a permutation drawn from the study seed instead of in enumeration order. Default false. */
  shuffle?: boolean;
}

export function gridSampler(options: GridSamplerOptions = {}): Sampler {
  return {
    kind: 'grid',
    suggest(space: SearchSpace, _history: readonly TrialRecord[], opts: SuggestOptions): Params {
      const points = enumerateGrid(space);
      const n = opts.trialNumber;
      if (!Number.isInteger(n) || n < 0) {
        throw new EngineError('invalid_param', `trialNumber must be a non-negative integer`, { trialNumber: n });
      }
      if (n >= points.length) {
        throw new EngineError('invalid_param', `The grid has ${points.length} points; trial ${n} has none left`, {
          trialNumber: n,
          gridSize: points.length,
        });
      }
      if (options.shuffle !== true) return { ...points[n]! };
      const order = Int32Array.from({ length: points.length }, (_, i) => i);
      shuffle(order, seededRandom(opts.seed));
      return { ...points[order[n]!]! };
    },
  };
}

/** The number of distinct points of the space's grid (a conditional dimension multiplies only its active branch). */
export function gridSize(space: SearchSpace): number {
  return enumerateGrid(space).length;
}

/**
 * Every point, the first parameter (in dependency order) varying slowest. An inactive child takes no value, so a
 * point never repeats with different values of a dimension that does not apply to it.
 */
export function enumerateGrid(space: SearchSpace): Params[] {
  const order = validateSpace(space);
  const values = new Map(order.map((name) => [name, gridValues(name, space[name]!)]));
  let points: Params[] = [{}];
  for (const name of order) {
    const next: Params[] = [];
    for (const point of points) {
      if (!isActive(space, name, point)) {
        next.push(point);
        continue;
      }
      for (const v of values.get(name)!) {
        next.push({ ...point, [name]: v });
        if (next.length > MAX_GRID_POINTS) {
          throw new EngineError('invalid_param', `The grid has more than ${MAX_GRID_POINTS} points`, {
            limit: MAX_GRID_POINTS,
          });
        }
      }
    }
    points = next;
  }
  return points;
}

/** One dimension's grid values: categorical choices, every int value, or its `gridPoints`. */
export function gridValues(name: string, dim: Dimension): ParamValue[] {
  if (dim.kind === 'categorical') return dim.choices;
  const g = dim.gridPoints;
  if (Array.isArray(g)) return [...new Set(g)];
  if (g === undefined) {
    if (dim.kind === 'int') return intValues(dim);
    throw new EngineError(
      'invalid_param',
      `Parameter "${name}" is continuous (${dim.kind}); grid search needs its gridPoints (a count or a list of values)`,
      { param: name },
    );
  }
  const log = dim.kind === 'loguniform' || (dim.kind === 'int' && dim.log === true);
  const lo = log ? Math.log(dim.low) : dim.low;
  const hi = log ? Math.log(dim.high) : dim.high;
  const out: number[] = [];
  for (let i = 0; i < g; i++) {
    const t = lo + ((hi - lo) * i) / (g - 1);
    let v = log ? Math.exp(t) : t;
    if (dim.kind === 'int') {
      const step = dim.step ?? 1;
      v = dim.low + Math.round((v - dim.low) / step) * step;
    }
    out.push(Math.min(dim.high, Math.max(dim.low, v)));
  }
  // Exact ends despite exp(log(x)) rounding; ints may collide after rounding.
  out[0] = dim.low;
  out[out.length - 1] = dim.high;
  return [...new Set(out)];
}
