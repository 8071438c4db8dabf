// Trains an elastic-net GLM end to end: target, holdout split, preprocessing, fit (or lambda search), holdout metrics,
// artifact.
import { holdoutResult } from '../training/holdout-result.js';
import { EngineError } from '../errors.js';
import type { Frame } from '../frame/frame.js';
import type { GlmArtifact, GlmModel, ModelArtifact, ModelMetadata } from '../artifact/model-artifact.js';
import { designColumnMeans } from '../explain/design-column-means.js';
import { encodeFrame } from '../preprocess/encode-frame.js';
import type { EncodingParams } from '../preprocess/encoding-params.js';
import { fitTrainingPreprocessing } from '../training/fit-training-preprocessing.js';
import { prepareTraining } from '../training/prepare-training.js';
import { fitGlm } from './fit-glm.js';
import type { GlmFamily, GlmFit } from './glm-fit.js';
import { resolveGlmParams, type GlmParams } from './glm-params.js';
import { fitLambdaPath } from './lambda-path.js';
import { originalUnits } from './original-units.js';

/** What every trainer takes; `P` is the algorithm's parameter type. */
export interface TrainOptions<P = GlmParams> {
  target: string;
  task: 'classification' | 'regression';
  /** Defaults to every column except the target. */
  features?: string[];
  /** The algorithm's parameters plus how categories are encoded (the same choice for every algorithm). */
  params?: P & EncodingParams;
  /** Called with strictly increasing fractions, ending with 1. */
  onProgress?: (fraction: number) => void;
}

/** What every trainer returns; `A` narrows the artifact to the algorithm's model kind. */
export interface TrainResult<A extends ModelArtifact = ModelArtifact> {
  artifact: A;
  /** Holdout metrics; a metric that is undefined on the holdout (e.g. no test rows) is left out. */
  metrics: Record<string, number>;
  trainRows: number;
  testRows: number;
}

/** Classification over more than two classes is multinomial; over two, binomial. */
export function trainGlmModel(frame: Frame, options: TrainOptions): TrainResult<GlmArtifact> {
  const { target, task, onProgress } = options;
  const params = resolveGlmParams(options.params);
  const prepared = prepareTraining(frame, options, params);
  const { classes, trainFrame, testFrame, yTrain, yTest } = prepared;
  const nClasses = classes?.length ?? 1;
  const family: GlmFamily = task === 'regression' ? 'gaussian' : nClasses > 2 ? 'multinomial' : 'binomial';
  onProgress?.(0.01);

  const fitted = fitTrainingPreprocessing(prepared);
  const design = encodeFrame(trainFrame, fitted.encodings);
  checkIdentifiable(params.lambda, params.lambdaSearch, design.width, yTrain.length);
  onProgress?.(0.1);
  const fitOptions = {
    family,
    alpha: params.alpha,
    maxIterations: params.maxIterations,
    tolerance: params.tolerance,
    nClasses,
    ...(onProgress === undefined ? {} : { onProgress: (f: number) => onProgress(0.1 + 0.85 * f) }),
  };
  let fit: GlmFit;
  let lambdaPath: ModelMetadata['lambdaPath'];
  if (params.lambdaSearch) {
    const holdout = { x: encodeFrame(testFrame, fitted.encodings), y: yTest };
    const path = fitLambdaPath(
      design,
      yTrain,
      { ...fitOptions, nLambdas: params.nLambdas, lambdaMinRatio: params.lambdaMinRatio },
      holdout,
    );
    fit = path.fit;
    lambdaPath = { chosenLambda: path.lambda, steps: path.steps };
  } else {
    fit = fitGlm(design, yTrain, { ...fitOptions, lambda: params.lambda });
  }

  const rows = fit.coefficients.map((row) => Array.from(row));
  const model: GlmModel =
    family === 'multinomial'
      ? { kind: 'glm', family, intercepts: [...fit.intercepts], coefficientMatrix: rows }
      : { kind: 'glm', family, intercept: fit.intercepts[0]!, coefficients: rows[0]! };
  const units = rows.map((row, k) => originalUnits(fitted.encodings, fit.intercepts[k]!, row));
  const artifact: GlmArtifact = {
    format: 'modelyard-model',
    formatVersion: 1,
    task,
    target,
    features: fitted.features,
    ...(classes === undefined ? {} : { classes }),
    preprocessing: fitted.preprocessing,
    model,
    metadata: {
      algorithm: 'glm',
      params,
      originalUnits: family === 'multinomial' ? units : units[0]!,
      ...(lambdaPath === undefined ? {} : { lambdaPath }),
      droppedColumns: fitted.dropped,
      columnMeans: designColumnMeans(design),
      iterations: fit.iterations,
      converged: fit.converged,
      trainRows: yTrain.length,
      testRows: yTest.length,
    },
  };

  return holdoutResult(artifact, family === 'multinomial' ? nClasses : 1, testFrame, yTrain, yTest, onProgress);
}

/**
 * Without a penalty and with at least as many encoded columns as training rows (the intercept makes p + 1 unknowns),
 * the optimum is not unique and a separable classifier has none: refuse rather than return an arbitrary or diverging
 * model. Any lambda > 0 (or a lambda search) makes the problem strictly convex again.
 */
function checkIdentifiable(lambda: number, lambdaSearch: boolean, width: number, rows: number): void {
  if (lambda > 0 || lambdaSearch || width < rows) return;
  throw new EngineError(
    'too_many_features',
    `The GLM has ${width} encoded columns but only ${rows} training rows; with lambda = 0 its coefficients are not ` +
      'determined. Set lambda > 0 (or lambdaSearch) to regularise it.',
    { columns: width, rows, lambda },
  );
}
