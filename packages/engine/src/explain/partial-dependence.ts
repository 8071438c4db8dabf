// Partial dependence and ICE curves (Friedman 2001; Goldstein et al. 2015) for any model behind a predict function:
// every sampled row is scored with the feature set to each grid value in turn.
import { EngineError } from '../errors.js';
import type { Column } from '../frame/column.js';
import { Frame } from '../frame/frame.js';
import { allRows, sampleRows, type AsyncPredictFunction, type PredictFunction } from './predict-function.js';
import { runScoringSteps, runScoringStepsAsync, type ScoringSteps } from './scoring-steps.js';

export interface PartialDependenceOptions {
  predict: PredictFunction;
  frame: Frame;
  feature: string;
  /** Grid points: quantiles of a number feature, most frequent categories of a category feature; default 20. */
  gridSize?: number;
  /** Rows averaged at each grid point (a seeded sample when the frame has more); default 1000. */
  maxRows?: number;
  /** Rows whose individual (ICE) curves are returned, the first ones of the sample; default 10. */
  iceRows?: number;
  /** Seed of the row sample; default 0. */
  seed?: number;
}

/** The options without a scorer: what `partialDependenceSteps` needs. */
export type PartialDependenceSettings = Omit<PartialDependenceOptions, 'predict'>;

export interface PartialDependence {
  feature: string;
  kind: 'number' | 'category';
  /** Ascending distinct quantiles (numbers) or categories by descending frequency. */
  grid: number[] | string[];
  /** Outputs per prediction (e.g. class probabilities of a multiclass model). */
  outputs: number;
  /** mean[g][c]: the mean prediction of output c with the feature set to grid[g]. */
  mean: number[][];
  /** Individual curves: the frame row and its prediction at each grid point, values[g][c]. */
  ice: { row: number; values: number[][] }[];
  /** Rows averaged. */
  rows: number;
}

/** The grid of a column: distinct quantiles of its finite values, or its most frequent categories. */
export function featureGrid(column: Column, rows: Int32Array, size: number): number[] | string[] {
  if (column.kind === 'number') {
    const values: number[] = [];
    for (const i of rows) {
      const v = column.values[i]!;
      if (Number.isFinite(v)) values.push(v);
    }
    values.sort((a, b) => a - b);
    if (values.length === 0) return [];
    const grid: number[] = [];
    for (let g = 0; g < size; g++) {
      // The lower order statistic of quantile g / (size − 1): always a value the data holds.
      const q = values[Math.floor((g / Math.max(1, size - 1)) * (values.length - 1))]!;
      if (grid.length === 0 || grid[grid.length - 1] !== q) grid.push(q);
    }
    return grid;
  }
  const counts = new Float64Array(column.dictionary.length);
  for (const i of rows) {
    const code = column.codes[i]!;
    if (code >= 0) counts[code]!++;
  }
  return [...column.dictionary.keys()]
    .filter((code) => counts[code]! > 0)
    .sort((a, b) => counts[b]! - counts[a]! || a - b)
    .slice(0, size)
    .map((code) => column.dictionary[code]!);
}

/** Partial dependence (mean curve) and ICE curves of one feature. */
export function partialDependence(options: PartialDependenceOptions): PartialDependence {
  return runScoringSteps(partialDependenceSteps(options), options.predict);
}

/** `partialDependence` with an asynchronous scorer: the same frame scored, the same numbers. */
export function partialDependenceAsync(
  options: PartialDependenceSettings & { predict: AsyncPredictFunction },
): Promise<PartialDependence> {
  return runScoringStepsAsync(partialDependenceSteps(options), options.predict);
}

/** The computation itself: yields one frame, the sampled rows stacked once per grid point. */
export function* partialDependenceSteps(options: PartialDependenceSettings): ScoringSteps<PartialDependence> {
  const { frame, feature } = options;
  const gridSize = options.gridSize ?? 20;
  if (!Number.isInteger(gridSize) || gridSize < 2) {
    throw new EngineError('invalid_param', 'gridSize must be an integer of at least 2', { gridSize });
  }
  const column = frame.column(feature);
  const sample = sampleRows(allRows(frame.nRows), options.maxRows ?? 1000, options.seed ?? 0);
  const grid = featureGrid(column, sample, gridSize);
  const n = sample.length;
  const base = frame.take(sample);
  const nGrid = grid.length;
  // One frame of n rows per grid point, stacked, scored in one call (an ONNX session prefers one big batch).
  const columns = base.names.map((name): Column => {
    const source = base.column(name);
    if (name === feature) return gridColumn(source, grid, n);
    if (source.kind === 'number') {
      const values = new Float64Array(n * nGrid);
      for (let g = 0; g < nGrid; g++) values.set(source.values, g * n);
      return { ...source, values };
    }
    const codes = new Int32Array(n * nGrid);
    for (let g = 0; g < nGrid; g++) codes.set(source.codes, g * n);
    return { ...source, codes };
  });
  const predictions = nGrid === 0 || n === 0 ? new Float64Array(0) : yield Frame.fromColumns(columns);
  const outputs = n * nGrid === 0 ? 1 : predictions.length / (n * nGrid);
  if (!Number.isInteger(outputs) || outputs < 1) {
    throw new EngineError('invalid_input', 'predict returned a number of values that is not a multiple of the rows', {
      rows: n * nGrid,
      values: predictions.length,
    });
  }
  const mean = Array.from({ length: nGrid }, (_, g) =>
    Array.from({ length: outputs }, (_, c) => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += predictions[(g * n + i) * outputs + c]!;
      return sum / n;
    }),
  );
  const ice = Array.from(sample.subarray(0, Math.min(n, options.iceRows ?? 10)), (row, i) => ({
    row,
    values: Array.from({ length: nGrid }, (_, g) =>
      Array.from(predictions.subarray((g * n + i) * outputs, (g * n + i + 1) * outputs)),
    ),
  }));
  return { feature, kind: column.kind, grid, outputs, mean, ice, rows: n };
}

function gridColumn(source: Column, grid: number[] | string[], n: number): Column {
  if (source.kind === 'number') {
    const values = new Float64Array(n * grid.length);
    (grid as number[]).forEach((v, g) => values.fill(v, g * n, (g + 1) * n));
    return { ...source, values };
  }
  const codes = new Int32Array(n * grid.length);
  (grid as string[]).forEach((label, g) => codes.fill(source.dictionary.indexOf(label), g * n, (g + 1) * n));
  return { ...source, codes };
}
