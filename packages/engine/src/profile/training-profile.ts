// What a model saw in training, kept with every version: per feature the ranges, quantiles, a histogram, the
// categories and how often values were missing; the distribution of the model's own predictions; and a sample of
// the training rows as the default reference for drift. Serving flags records that fall outside it.

import { EngineError } from '../errors.js';
import type { Column } from '../frame/column.js';
import { Frame } from '../frame/frame.js';
import type { ModelArtifact } from '../artifact/model-artifact.js';
import { predictFrame } from '../artifact/predict-frame.js';

export const PROFILE_FORMAT = 1;
/** The quantile levels a number profile reports. */
export const QUANTILE_LEVELS = [0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1];
const HISTOGRAM_BINS = 20;
/** At most this many categories are listed by name; the rest are counted together. */
const MAX_CATEGORIES = 1000;
/** Default size of the reference sample kept for drift. */
export const PROFILE_SAMPLE_ROWS = 10_000;

export interface NumberProfile {
  name: string;
  type: 'number';
  count: number;
  missing: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
  /** Values at QUANTILE_LEVELS (linear interpolation, as numpy's default), empty when every value is missing. */
  quantiles: number[];
  histogram: { edges: number[]; counts: number[] };
}

export interface CategoryProfile {
  name: string;
  type: 'category';
  count: number;
  missing: number;
  /** Most frequent first. */
  categories: { value: string; count: number }[];
  /** Values beyond the listed categories. */
  otherCount: number;
}

export type FeatureProfile = NumberProfile | CategoryProfile;

export interface TrainingProfile {
  format: typeof PROFILE_FORMAT;
  rows: number;
  features: FeatureProfile[];
  /** The model's output on the sample: `prediction` (regression), P(classes[1]) (binary) or the label (more classes). */
  prediction: FeatureProfile;
  /** A sample of the training rows (null = missing), the default drift reference; `prediction` holds the model's output. */
  sample: { rows: number; columns: Record<string, (number | null)[] | (string | null)[]> };
}

export interface ProfileOptions {
  sampleRows?: number;
  seed?: number;
}

/** Linear-interpolation quantile of sorted values (numpy's default method). */
function quantile(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

export function numberProfile(name: string, values: ArrayLike<number>): NumberProfile {
  const present = Float64Array.from(values).filter((v) => !Number.isNaN(v));
  present.sort();
  const count = present.length;
  const missing = values.length - count;
  if (count === 0) {
    return {
      name,
      type: 'number',
      count,
      missing,
      min: null,
      max: null,
      mean: null,
      std: null,
      quantiles: [],
      histogram: { edges: [], counts: [] },
    };
  }
  let sum = 0;
  for (const v of present) sum += v;
  const mean = sum / count;
  let ss = 0;
  for (const v of present) ss += (v - mean) * (v - mean);
  const min = present[0]!;
  const max = present[count - 1]!;
  const bins = min === max ? 1 : HISTOGRAM_BINS;
  const width = (max - min) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + i * width));
  const counts = new Array<number>(bins).fill(0);
  for (const v of present) counts[width === 0 ? 0 : Math.min(bins - 1, Math.floor((v - min) / width))]!++;
  return {
    name,
    type: 'number',
    count,
    missing,
    min,
    max,
    mean,
    std: Math.sqrt(ss / count),
    quantiles: QUANTILE_LEVELS.map((q) => quantile(present, q)),
    histogram: { edges, counts },
  };
}

export function categoryProfile(name: string, values: ArrayLike<string | null>): CategoryProfile {
  const counts = new Map<string, number>();
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) missing++;
    else counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const listed = sorted.slice(0, MAX_CATEGORIES);
  return {
    name,
    type: 'category',
    count: values.length - missing,
    missing,
    categories: listed.map(([value, count]) => ({ value, count })),
    otherCount: sorted.slice(MAX_CATEGORIES).reduce((s, [, c]) => s + c, 0),
  };
}

function categoryValues(column: Column): (string | null)[] {
  if (column.kind === 'number') return Array.from(column.values, (v) => (Number.isNaN(v) ? null : String(v)));
  return Array.from(column.codes, (c) => (c < 0 ? null : column.dictionary[c]!));
}

/** Rows to keep: all of them, or `n` chosen without replacement by a seeded generator, in row order. */
function sampleRows(total: number, n: number, seed: number): Int32Array {
  if (total <= n) return Int32Array.from({ length: total }, (_, i) => i);
  // Floyd's algorithm: n distinct indices in O(n).
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const chosen = new Set<number>();
  for (let j = total - n; j < total; j++) {
    const t = Math.floor(next() * (j + 1));
    chosen.add(chosen.has(t) ? j : t);
  }
  return Int32Array.from([...chosen].sort((a, b) => a - b));
}

/** The training profile of a model on the frame it was trained on (its feature columns must be there). */
export function buildTrainingProfile(
  artifact: ModelArtifact,
  frame: Frame,
  options: ProfileOptions = {},
): TrainingProfile {
  const missingColumns = artifact.features.filter((f) => !frame.has(f.name)).map((f) => f.name);
  if (missingColumns.length > 0) {
    throw new EngineError('unknown_column', `The frame lacks the model's features: ${missingColumns.join(', ')}`, {
      missing: missingColumns,
    });
  }
  const features = artifact.features.map((spec): FeatureProfile => {
    const column = frame.column(spec.name);
    if (spec.type === 'number' && column.kind === 'number') return numberProfile(spec.name, column.values);
    return categoryProfile(spec.name, categoryValues(column));
  });
  const rows = sampleRows(frame.nRows, options.sampleRows ?? PROFILE_SAMPLE_ROWS, options.seed ?? 42);
  const sampled = frame.select(artifact.features.map((f) => f.name)).take(rows);
  const outputs = predictFrame(artifact, sampled);
  const prediction = predictionColumn(artifact, outputs, sampled.nRows);
  const columns: TrainingProfile['sample']['columns'] = {};
  for (const spec of artifact.features) {
    const column = sampled.column(spec.name);
    columns[spec.name] =
      spec.type === 'number' && column.kind === 'number'
        ? Array.from(column.values, (v) => (Number.isNaN(v) ? null : v))
        : categoryValues(column);
  }
  columns.prediction = prediction;
  return {
    format: PROFILE_FORMAT,
    rows: frame.nRows,
    features,
    prediction:
      typeof prediction[0] === 'string'
        ? categoryProfile('prediction', prediction as (string | null)[])
        : numberProfile('prediction', Float64Array.from(prediction as number[])),
    sample: { rows: sampled.nRows, columns },
  };
}

/** One value per row from predictFrame's outputs: the value, P(classes[1]), or the most probable class. */
export function predictionColumn(artifact: ModelArtifact, outputs: Float64Array, rows: number): number[] | string[] {
  if (artifact.task === 'regression') return Array.from(outputs);
  const classes = artifact.classes ?? [];
  if (classes.length <= 2) return Array.from(outputs);
  const k = classes.length;
  return Array.from({ length: rows }, (_, r) => {
    let best = 0;
    for (let c = 1; c < k; c++) if (outputs[r * k + c]! > outputs[r * k + best]!) best = c;
    return classes[best]!;
  });
}

/** The sample's columns `names` as a frame (numbers or categories as the profile typed them), e.g. a drift reference. */
export function sampleFrame(profile: TrainingProfile, names: string[]): Frame {
  const types = new Map([...profile.features, profile.prediction].map((f) => [f.name, f.type]));
  return Frame.fromColumns(
    names.map((name): Column => {
      const values = profile.sample.columns[name] as (number | string | null)[] | undefined;
      const type = types.get(name);
      if (values === undefined || type === undefined) {
        throw new EngineError('unknown_column', `The profile has no sample of "${name}"`);
      }
      if (type === 'number') {
        return { kind: 'number', name, values: Float64Array.from(values, (v) => (typeof v === 'number' ? v : NaN)) };
      }
      const dictionary = [...new Set(values.filter((v): v is string => typeof v === 'string'))];
      const index = new Map(dictionary.map((d, i) => [d, i]));
      return {
        kind: 'category',
        name,
        codes: Int32Array.from(values, (v) => (typeof v === 'string' ? index.get(v)! : -1)),
        dictionary,
      };
    }),
  );
}
