// Turns an artifact's preprocessing and GLM into linear predictors, for frames (column-wise) and records (row-wise).
import type { Frame } from '../frame/frame.js';
import { categoryIndices, numericValues } from '../preprocess/feature-values.js';
import type { GlmArtifact, GlmModel } from './model-artifact.js';

/** Per-artifact lookup tables, built once: servers score the same parsed artifact many times. */
interface CompiledScorer {
  offsets: number[];
  lookups: (Map<string, number> | undefined)[];
  /** One (intercept, coefficients) per linear predictor: one, or one per class for a multinomial model. */
  outputs: { intercept: number; coefficients: number[] }[];
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
    scorer = { offsets, lookups, outputs: linearOutputs(artifact.model) };
    compiled.set(artifact, scorer);
  }
  return scorer;
}

function linearOutputs(model: GlmModel): CompiledScorer['outputs'] {
  if (model.family !== 'multinomial') return [{ intercept: model.intercept, coefficients: model.coefficients }];
  return model.intercepts.map((intercept, k) => ({ intercept, coefficients: model.coefficientMatrix[k]! }));
}

/** Linear predictors per row: one, or (n × k row-major) one per class for a multinomial model. */
export function linearOutputCount(artifact: GlmArtifact): number {
  return compile(artifact).outputs.length;
}

/**
 * Linear predictor of every frame row (n × k row-major for a multinomial model, in `classes` order); missing and
 * unseen values encode exactly as at training.
 */
export function frameLinearPredictor(artifact: GlmArtifact, frame: Frame): Float64Array {
  const { offsets, outputs } = compile(artifact);
  const n = frame.nRows;
  const etas = outputs.map(({ intercept }) => new Float64Array(n).fill(intercept));
  artifact.preprocessing.encodings.forEach((encoding, f) => {
    const offset = offsets[f]!;
    if (encoding.type === 'number') {
      const values = numericValues(frame, encoding);
      const encoded = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i]!;
        encoded[i] = ((Number.isFinite(v) ? v : encoding.impute) - encoding.center) / encoding.scale;
      }
      outputs.forEach(({ coefficients }, o) => {
        const eta = etas[o]!;
        const b = coefficients[offset]!;
        for (let i = 0; i < n; i++) eta[i] = eta[i]! + b * encoded[i]!;
      });
    } else {
      const indices = categoryIndices(frame, encoding);
      outputs.forEach(({ coefficients }, o) => {
        const eta = etas[o]!;
        for (let i = 0; i < n; i++) {
          const k = indices[i]!;
          if (k >= 0) eta[i] = eta[i]! + coefficients[offset + k]!;
        }
      });
    }
  });
  if (etas.length === 1) return etas[0]!;
  const k = etas.length;
  const out = new Float64Array(n * k);
  etas.forEach((eta, o) => {
    for (let i = 0; i < n; i++) out[i * k + o] = eta[i]!;
  });
  return out;
}

/**
 * Linear predictors of one record whose values were read in feature order (null = missing): one, or one per class.
 * Performs the same floating-point operations in the same order as `frameLinearPredictor`, so both agree exactly.
 */
export function recordLinearPredictors(artifact: GlmArtifact, values: (number | string | null)[]): number[] {
  const { offsets, lookups, outputs } = compile(artifact);
  return outputs.map(({ intercept, coefficients }) => {
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
  });
}

/** The single linear predictor of a gaussian or binomial model for one record (see `recordLinearPredictors`). */
export function recordLinearPredictor(artifact: GlmArtifact, values: (number | string | null)[]): number {
  return recordLinearPredictors(artifact, values)[0]!;
}
