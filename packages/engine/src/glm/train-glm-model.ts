// Trains an elastic-net GLM end to end: target, holdout split, preprocessing, fit, holdout metrics, artifact.
import { EngineError } from '../errors.js';
import type { Frame } from '../frame/frame.js';
import type { GlmArtifact, ModelArtifact, OriginalUnitTerm } from '../artifact/model-artifact.js';
import { predictFrame } from '../artifact/predict-frame.js';
import { encodeFrame } from '../preprocess/encode-frame.js';
import { fitPreprocessing } from '../preprocess/fit-preprocessing.js';
import { prepareTraining } from '../training/prepare-training.js';
import { fitGlm } from './fit-glm.js';
import { holdoutMetrics } from './holdout-metrics.js';
import { resolveGlmParams, type GlmParams } from './glm-params.js';

/** What every trainer takes; `P` is the algorithm's parameter type. */
export interface TrainOptions<P = GlmParams> {
  target: string;
  task: 'classification' | 'regression';
  /** Defaults to every column except the target. */
  features?: string[];
  params?: P;
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

export function trainGlmModel(frame: Frame, options: TrainOptions): TrainResult<GlmArtifact> {
  const { target, task, onProgress } = options;
  const params = resolveGlmParams(options.params);
  const { featureNames, classes, trainFrame, testFrame, yTrain, yTest } = prepareTraining(frame, options, params);
  if (classes !== undefined && classes.length > 2) {
    throw new EngineError('too_many_classes', `Target "${target}" has ${classes.length} classes; 2 are supported`, {
      classes: classes.length,
    });
  }
  onProgress?.(0.01);

  const fitted = fitPreprocessing(trainFrame, featureNames);
  const design = encodeFrame(trainFrame, fitted.encodings);
  onProgress?.(0.1);
  const fit = fitGlm(design, yTrain, {
    family: task === 'classification' ? 'binomial' : 'gaussian',
    lambda: params.lambda,
    alpha: params.alpha,
    maxIterations: params.maxIterations,
    tolerance: params.tolerance,
    ...(onProgress === undefined ? {} : { onProgress: (f: number) => onProgress(0.1 + 0.85 * f) }),
  });

  const coefficients = Array.from(fit.coefficients);
  const artifact: GlmArtifact = {
    format: 'modelyard-model',
    formatVersion: 1,
    task,
    target,
    features: fitted.features,
    ...(classes === undefined ? {} : { classes }),
    preprocessing: { encodings: fitted.encodings },
    model: {
      kind: 'glm',
      family: task === 'classification' ? 'binomial' : 'gaussian',
      intercept: fit.intercept,
      coefficients,
    },
    metadata: {
      algorithm: 'glm',
      params,
      originalUnits: originalUnits(fitted.encodings, fit.intercept, coefficients),
      droppedColumns: fitted.dropped,
      iterations: fit.iterations,
      converged: fit.converged,
      trainRows: yTrain.length,
      testRows: yTest.length,
    },
  };

  const metrics = holdoutMetrics(task, yTest, predictFrame(artifact, testFrame));
  onProgress?.(1);
  return { artifact, metrics, trainRows: yTrain.length, testRows: yTest.length };
}

/** Every listed feature exists, is not the target and is listed once. */
/** Coefficients for raw (imputed) feature values: b / scale, with the centring folded into the intercept. */
function originalUnits(
  encodings: ModelArtifact['preprocessing']['encodings'],
  intercept: number,
  coefficients: number[],
): { intercept: number; terms: OriginalUnitTerm[] } {
  const terms: OriginalUnitTerm[] = [];
  let b0 = intercept;
  let offset = 0;
  for (const encoding of encodings) {
    if (encoding.type === 'number') {
      const b = coefficients[offset]! / encoding.scale;
      b0 -= b * encoding.center;
      terms.push({ feature: encoding.name, coefficient: b });
      offset += 1;
    } else {
      encoding.categories.forEach((category, k) => {
        terms.push({ feature: encoding.name, category, coefficient: coefficients[offset + k]! });
      });
      offset += encoding.categories.length;
    }
  }
  return { intercept: b0, terms };
}
