// Turns an artifact's preprocessing and GLM into linear predictors, for frames (column-wise) and records (row-wise).
import type { Frame } from '../frame/frame.js';
import { categoryIndices, numericValues } from '../preprocess/feature-values.js';
import type { GlmArtifact } from './model-artifact.js';

/** Per-artifact lookup tables, built once: servers score the same parsed artifact many times. */
interface CompiledScorer {
  offsets: number[];
  lookups: (Map<string, number> | undefined)[];
}

const compiled = new WeakMap<GlmArtifact, CompiledScorer>();

function compile(artifact: GlmArtifact): CompiledScorer {
  let scorer = compiled.get(artifact);
  if (scorer === undefined) {
    const offsets: number[] = [];
    let offset = 0;
    const lookups = artifact.preprocessing.encodings.map((encoding) => {
      offsets.push(offset);
      if (encoding.type === 'number') {
        offset += 1;
        return undefined;
      }
      offset += encoding.categories.length;
      return new Map(encoding.categories.map((c, k) => [c, k]));
    });
    scorer = { offsets, lookups };
    compiled.set(artifact, scorer);
  }
  return scorer;
}

/** Linear predictor of every frame row; missing and unseen values encode exactly as at training. */
export function frameLinearPredictor(artifact: GlmArtifact, frame: Frame): Float64Array {
  const { intercept, coefficients } = artifact.model;
  const { offsets } = compile(artifact);
  const eta = new Float64Array(frame.nRows).fill(intercept);
  artifact.preprocessing.encodings.forEach((encoding, f) => {
    const offset = offsets[f]!;
    if (encoding.type === 'number') {
      const b = coefficients[offset]!;
      const values = numericValues(frame, encoding);
      for (let i = 0; i < eta.length; i++) {
        const v = values[i]!;
        eta[i] = eta[i]! + b * (((Number.isFinite(v) ? v : encoding.impute) - encoding.center) / encoding.scale);
      }
    } else {
      const indices = categoryIndices(frame, encoding);
      for (let i = 0; i < eta.length; i++) {
        const k = indices[i]!;
        if (k >= 0) eta[i] = eta[i]! + coefficients[offset + k]!;
      }
    }
  });
  return eta;
}

/**
 * Linear predictor of one record whose values were read in feature order (null = missing). Performs the same
 * floating-point operations in the same order as `frameLinearPredictor`, so both agree exactly.
 */
export function recordLinearPredictor(artifact: GlmArtifact, values: (number | string | null)[]): number {
  const { intercept, coefficients } = artifact.model;
  const { offsets, lookups } = compile(artifact);
  let eta = intercept;
  artifact.preprocessing.encodings.forEach((encoding, f) => {
    const value = values[f] ?? null;
    const offset = offsets[f]!;
    if (encoding.type === 'number') {
      const v = typeof value === 'number' ? value : encoding.impute;
      eta += coefficients[offset]! * ((v - encoding.center) / encoding.scale);
    } else {
      const k = typeof value === 'string' ? lookups[f]?.get(value) : undefined;
      if (k !== undefined) eta += coefficients[offset + k]!;
    }
  });
  return eta;
}
