// The versioned, JSON-serialisable model format: feature schema, preprocessing, model and metadata.

export type FeatureSpec = { name: string; type: 'number' } | { name: string; type: 'category'; categories: string[] };

/** Numeric feature: missing → `impute`, then (x - center) / scale. */
export type NumericEncoding = { name: string; type: 'number'; impute: number; center: number; scale: number };
/** Category feature: one indicator column per category; missing or unseen → all zeros. */
export type CategoryEncoding = { name: string; type: 'category'; categories: string[] };
export type FeatureEncoding = NumericEncoding | CategoryEncoding;

export interface Preprocessing {
  /** One entry per feature, in `features` order; the encoded columns follow the same order. */
  encodings: FeatureEncoding[];
}

/**
 * A generalised linear model over the encoded (standardised, one-hot) columns. `binomial` predicts the probability
 * of `classes[1]`; a later `multinomial` family will carry one coefficient row per class.
 */
export interface GlmModel {
  kind: 'glm';
  family: 'gaussian' | 'binomial';
  intercept: number;
  coefficients: number[];
}

export type ModelSpec = GlmModel;

export interface OriginalUnitTerm {
  feature: string;
  /** Set for a category indicator. */
  category?: string;
  coefficient: number;
}

export interface ModelMetadata {
  algorithm: 'glm';
  params: {
    lambda: number;
    alpha: number;
    testFraction: number;
    seed: number;
    maxIterations: number;
    tolerance: number;
  };
  /** The model in the units of the raw features (numeric terms multiply the imputed raw value). */
  originalUnits: { intercept: number; terms: OriginalUnitTerm[] };
  /** Columns left out of the model; records may still carry them without an `unexpected` issue. */
  droppedColumns: { name: string; reason: string }[];
  iterations: number;
  converged: boolean;
  trainRows: number;
  testRows: number;
}

export interface ModelArtifact {
  format: 'modelyard-model';
  formatVersion: 1;
  task: 'classification' | 'regression';
  target: string;
  features: FeatureSpec[];
  /** Sorted class labels (classification only); `classes[1]` is the positive class. */
  classes?: string[];
  preprocessing: Preprocessing;
  model: ModelSpec;
  metadata: ModelMetadata;
}
