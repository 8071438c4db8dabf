// The versioned, JSON-serialisable model format: feature schema, preprocessing, model and metadata.

export type FeatureSpec = { name: string; type: 'number' } | { name: string; type: 'category'; categories: string[] };

/** Numeric feature: missing → `impute`, then (x - center) / scale. */
export type NumericEncoding = { name: string; type: 'number'; impute: number; center: number; scale: number };
/** Category feature: one indicator column per category; missing or unseen → all zeros. */
export type CategoryEncoding = { name: string; type: 'category'; categories: string[] };
export type FeatureEncoding = NumericEncoding | CategoryEncoding;

export interface Preprocessing {
  /**
   * Applied first, when present: turns the listed category features into numeric model columns. Absent when no
   * feature is target-encoded.
   */
  targetEncoding?: TargetEncoding;
  /**
   * One entry per model column, in order: the features in `features` order, each target-encoded feature replaced by
   * its output columns (all numeric). Without target encoding the model columns are exactly the features. Tree nodes
   * and GLM coefficients index the model columns.
   */
  encodings: FeatureEncoding[];
}

/**
 * Smoothed target means per category (scikit-learn's TargetEncoder): a category with `count` training rows and target
 * sum `sum` encodes to (sum + m * prior) / (count + m), or with `smoothing: 'auto'` to the empirical-Bayes blend
 * l * mean + (1 - l) * prior, l = count * var(y) / (count * var(y) + var(y | category)). Missing and unseen
 * categories encode to the prior. Training rows were encoded out of fold, so no row saw its own target; these values,
 * fitted on all training rows, are what scoring uses.
 */
export interface TargetEncoding {
  /** Bumped when the meaning of this block changes. */
  version: 1;
  /** The `m` of the smoothed mean, or 'auto'. */
  smoothing: number | 'auto';
  /**
   * Folds of the out-of-fold encoding of the training rows (for the record; scoring does not use them). 0 when a
   * single training row left nothing to fold: it was encoded with the prior.
   */
  folds: number;
  columns: TargetEncodedColumn[];
}

export interface TargetEncodedColumn {
  /** A category feature of `features`. */
  feature: string;
  /** The feature's categories, in the same order. */
  categories: string[];
  /** One output for regression (mean of the target) and binary models (P(classes[1])); one per class otherwise. */
  outputs: TargetEncodedOutput[];
}

export interface TargetEncodedOutput {
  /** The model column this output becomes (a `number` entry of `encodings`). */
  name: string;
  /** The class whose probability this output estimates; absent when it estimates the target's mean. */
  class?: string;
  /** The value of missing and unseen categories: the training mean of the target (or class indicator). */
  prior: number;
  /** The value of each category, in `categories` order. */
  values: number[];
}

/**
 * A generalised linear model over the encoded (standardised, one-hot) columns. `binomial` predicts the probability
 * of `classes[1]`; `multinomial` carries one intercept and one coefficient row per class.
 */
export type GlmModel = LinearGlmModel | MultinomialGlmModel;

/** One linear predictor: the value itself (gaussian) or the log-odds of `classes[1]` (binomial). */
export interface LinearGlmModel {
  kind: 'glm';
  family: 'gaussian' | 'binomial';
  intercept: number;
  coefficients: number[];
}

/** Class k's probability is the softmax of the linear predictors intercepts[k] + coefficientMatrix[k] . x. */
export interface MultinomialGlmModel {
  kind: 'glm';
  family: 'multinomial';
  /** In `classes` order. */
  intercepts: number[];
  /** One row of encoded-column coefficients per class, in `classes` order. */
  coefficientMatrix: number[][];
}

/**
 * One regression tree as parallel arrays indexed by node id; node 0 is the root and children come after their parent.
 * A numeric split sends a value left when `value < threshold` (raw feature units); a category split sends the
 * categories listed in `leftCategories` left. Missing values (and unseen categories) follow `defaultLeft`.
 */
export interface GbdtTree {
  /** Index into `features` of the split feature; -1 marks a leaf. */
  feature: number[];
  /** Numeric splits: values below it go left. 0 for leaves and category splits. */
  threshold: number[];
  /** Category splits: ascending indices into the feature's categories that go left; [] for other nodes. */
  leftCategories: number[][];
  defaultLeft: boolean[];
  /** Child node ids; -1 for a leaf. */
  left: number[];
  right: number[];
  /** Leaf output with the learning rate applied (0 for internal nodes). */
  value: number[];
  /** Sum of the training rows' hessians at the node (for explanations). */
  cover: number[];
}

/**
 * Gradient-boosted trees: margin = baseScore + the sum of every tree's leaf value. `logistic` predicts the
 * probability of `classes[1]` as sigmoid(margin), `poisson` predicts exp(margin), the others the margin itself.
 * `softmax` keeps one margin per class: tree t adds to class t mod k, starting from `classBaseScores`, and the class
 * probabilities are the softmax of the margins.
 */
export interface GbdtModel {
  kind: 'gbdt';
  objective: GbdtObjective;
  /** The starting margin (0 for softmax, which uses `classBaseScores`). */
  baseScore: number;
  /** Softmax only: the starting margin of each class, in `classes` order. */
  classBaseScores?: number[];
  trees: GbdtTree[];
}

export type GbdtObjective = 'squared_error' | 'absolute_error' | 'poisson' | 'logistic' | 'softmax';

/**
 * A random forest or extra-trees ensemble: the same trees as boosting, combined by averaging instead of summing.
 * Regression and binary classification: one output, the mean of every tree's leaf value (leaves hold means of the
 * target, or of the positive-class indicator, clamped to [0, 1]). With k > 2 classes tree t estimates the share of
 * class t mod k; each class's mean over its trees is divided by the sum of the k means (uniform when that is 0).
 */
export interface ForestModel {
  kind: 'forest';
  trees: GbdtTree[];
}

export type ModelSpec = GlmModel | GbdtModel | ForestModel;

export interface OriginalUnitTerm {
  feature: string;
  /** Set for a category indicator. */
  category?: string;
  coefficient: number;
}

/** A linear predictor in the units of the raw features (numeric terms multiply the imputed raw value). */
export interface OriginalUnits {
  intercept: number;
  terms: OriginalUnitTerm[];
}

/** One fit of a GLM lambda search; deviances are per row (gaussian: mean squared error; classifiers: 2 × log loss). */
export interface LambdaPathStep {
  lambda: number;
  trainDeviance: number;
  /** Absent without holdout rows. */
  holdoutDeviance?: number;
  /** Non-zero coefficients over every class row. */
  nonZero: number;
}

/** What a GLM run records next to the model. */
export interface ModelMetadata {
  algorithm: 'glm';
  params: {
    lambda: number;
    alpha: number;
    testFraction: number;
    seed: number;
    maxIterations: number;
    tolerance: number;
    /** Absent in artifacts written before the lambda search existed (read as false). */
    lambdaSearch?: boolean;
    nLambdas?: number;
    lambdaMinRatio?: number;
  };
  /** The model in the units of the raw features; a multinomial model has one per class, in `classes` order. */
  originalUnits: OriginalUnits | OriginalUnits[];
  /** With `params.lambdaSearch`: every lambda tried, and the one the model was fitted with. */
  lambdaPath?: { chosenLambda: number; steps: LambdaPathStep[] };
  /** Columns left out of the model; records may still carry them without an `unexpected` issue. */
  droppedColumns: { name: string; reason: string }[];
  /**
   * Mean of each encoded column (standardised number, one-hot indicator) over the training rows, in coefficient
   * order: the baseline of exact SHAP values. Absent in artifacts written before explanations existed.
   */
  columnMeans?: number[];
  iterations: number;
  converged: boolean;
  trainRows: number;
  testRows: number;
}

/** What a GBDT run records next to the model. */
export interface GbdtMetadata {
  algorithm: 'gbdt';
  params: {
    objective: GbdtObjective;
    nTrees: number;
    maxDepth: number;
    learningRate: number;
    maxBins: number;
    lambda: number;
    alpha: number;
    minChildWeight: number;
    minSamplesLeaf: number;
    subsample: number;
    colsampleByTree: number;
    seed: number;
    testFraction: number;
    earlyStoppingRounds: number;
    growPolicy: 'depthwise' | 'lossguide';
    maxLeaves: number;
  };
  /** Columns left out of the model; records may still carry them without an `unexpected` issue. */
  droppedColumns: { name: string; reason: string }[];
  /** Trees kept (fewer than `params.nTrees` when early stopping cut the ensemble). */
  trees: number;
  trainRows: number;
  testRows: number;
}

/** What a random-forest run records next to the model. */
export interface ForestMetadata {
  algorithm: 'forest';
  params: {
    nTrees: number;
    maxDepth: number;
    minSamplesLeaf: number;
    maxFeatures: 'sqrt' | 'log2' | 'third' | number;
    bootstrap: boolean;
    sampleFraction: number;
    extraTrees: boolean;
    maxBins: number;
    seed: number;
    testFraction: number;
  };
  /** Columns left out of the model; records may still carry them without an `unexpected` issue. */
  droppedColumns: { name: string; reason: string }[];
  trees: number;
  trainRows: number;
  testRows: number;
}

interface ArtifactBase {
  format: 'modelyard-model';
  formatVersion: 1;
  task: 'classification' | 'regression';
  target: string;
  features: FeatureSpec[];
  /** Sorted class labels (classification only); `classes[1]` is the positive class of a binary model. */
  classes?: string[];
  preprocessing: Preprocessing;
}

export interface GlmArtifact extends ArtifactBase {
  model: GlmModel;
  metadata: ModelMetadata;
}

export interface GbdtArtifact extends ArtifactBase {
  model: GbdtModel;
  metadata: GbdtMetadata;
}

export interface ForestArtifact extends ArtifactBase {
  model: ForestModel;
  metadata: ForestMetadata;
}

/** One model over the features (not an ensemble of artifacts); `model.kind` tells them apart. */
export type SingleModelArtifact = GlmArtifact | GbdtArtifact | ForestArtifact;

/**
 * A stacked ensemble: every base scores the input features, and a GLM (the meta-learner) scores the bases' outputs.
 * The meta-learner's features are named after the bases' positions in `bases`: `base<i>` for a regression value or a
 * binary model's P(classes[1]); `base<i>:<class>` for each class's probability (in `classes` order) over more than two
 * classes.
 */
export interface StackedModel {
  kind: 'stacked';
  /** Complete single-model artifacts (formatVersion 1), each with its own schema and preprocessing. */
  bases: SingleModelArtifact[];
  /** A complete GLM artifact over the meta features, with the stacked artifact's task, target and classes. */
  meta: GlmArtifact;
}

/** What a stacked-ensemble training records next to the model. */
export interface StackedMetadata {
  algorithm: 'stacked';
  params: {
    /** Ridge penalty of the meta GLM (alpha 0). */
    metaLambda: number;
    /** Whether bases with a negative meta weight were removed (binary and regression only). */
    nonNegative: boolean;
  };
  /** Columns that some base dropped and no base uses; records may carry them without an `unexpected` issue. */
  droppedColumns: { name: string; reason: string }[];
  /** Bases given to the training but left out of the ensemble, by their position in the list given. */
  droppedBases: { index: number; algorithm: string; reason: string }[];
  /** Rows of the out-of-fold predictions the meta-learner was fitted on. */
  trainRows: number;
  testRows: number;
}

/**
 * `formatVersion` 2: only stacked artifacts use it. `features` is the union of the bases' input features (a feature
 * shared by bases has the same spec in each), and `preprocessing.encodings` is empty: each base carries its own.
 */
export interface StackedArtifact extends Omit<ArtifactBase, 'formatVersion'> {
  formatVersion: 2;
  model: StackedModel;
  metadata: StackedMetadata;
}

/** Any model the engine scores; `model.kind` tells them apart. */
export type ModelArtifact = SingleModelArtifact | StackedArtifact;
