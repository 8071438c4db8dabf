// Learns the preprocessing of a training frame: mean imputation and standardisation for numbers, one-hot categories.
import type { CategoryColumn } from '../frame/column.js';
import type { Frame } from '../frame/frame.js';
import type { FeatureEncoding, FeatureSpec } from '../artifact/model-artifact.js';

/** A category with more distinct values than this is treated as an identifier and dropped. */
export const MAX_CATEGORIES = 1000;

export interface FittedPreprocessing {
  features: FeatureSpec[];
  encodings: FeatureEncoding[];
  dropped: { name: string; reason: string }[];
}

export function fitPreprocessing(frame: Frame, featureNames: string[]): FittedPreprocessing {
  const features: FeatureSpec[] = [];
  const encodings: FeatureEncoding[] = [];
  const dropped: { name: string; reason: string }[] = [];
  for (const name of featureNames) {
    const column = frame.column(name);
    if (column.kind === 'number') {
      const { mean, scale } = imputedMoments(column.values);
      features.push({ name, type: 'number' });
      encodings.push({ name, type: 'number', impute: mean, center: mean, scale });
      continue;
    }
    const categories = usedCategories(column);
    if (categories.length > MAX_CATEGORIES) {
      dropped.push({ name, reason: `category with ${categories.length} distinct values (> ${MAX_CATEGORIES})` });
      continue;
    }
    features.push({ name, type: 'category', categories });
    encodings.push({ name, type: 'category', categories });
  }
  return { features, encodings, dropped };
}

/** The distinct categories that occur in the column, sorted; dictionary entries no row uses are left out. */
export function usedCategories(column: CategoryColumn): string[] {
  const used = new Uint8Array(column.dictionary.length);
  for (const code of column.codes) if (code >= 0) used[code] = 1;
  return [...new Set(column.dictionary.filter((_, i) => used[i] === 1))].sort(compareStrings);
}

/** Code-unit order, like numpy's sort of strings, so class and category order match scikit-learn. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Mean of the observed values and the population standard deviation after mean imputation (the order of
 * SimpleImputer then StandardScaler). All-missing → mean 0; constant → scale 1, so the column encodes to zeros.
 */
function imputedMoments(values: Float64Array): { mean: number; scale: number } {
  let count = 0;
  let sum = 0;
  // Indexed loops: for-of over a typed array is several times slower on a million values.
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v > -Infinity && v < Infinity) {
      count++;
      sum += v;
    }
  }
  const mean = count === 0 ? 0 : sum / count;
  let squares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v > -Infinity && v < Infinity) squares += (v - mean) * (v - mean);
  }
  const std = values.length === 0 ? 0 : Math.sqrt(squares / values.length);
  // Guard against round-off making a constant column look variable, as scikit-learn does.
  const scale = std > 1e-12 * Math.max(1, Math.abs(mean)) ? std : 1;
  return { mean, scale };
}
