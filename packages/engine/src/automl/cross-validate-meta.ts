// Cross-validates a stacked ensemble's meta-learner on its bases' out-of-fold predictions, so the ensemble gets a CV
// estimate comparable to its bases'.
import type { StackedArtifact } from '../artifact/model-artifact.js';
import { predictFrame } from '../artifact/predict-frame.js';
import { metaFrame, outputsPerRow } from '../artifact/stacked-features.js';
import type { Frame } from '../frame/frame.js';
import type { CvResult } from './cv-result.js';
import { fitMeta } from './fit-meta.js';
import { foldMetrics, gatherRows, scatterRows, summariseFolds } from './fold-metrics.js';
import { checkBases, trainStackedEnsemble, type StackBase, type StackOptions } from './stacked-ensemble.js';

/**
 * Uses the first base's folds (the bases of one AutoML run share them). For each fold the meta-learner (with its
 * non-negativity rule) is fitted on the other folds' out-of-fold predictions and scores the fold's: the base
 * predictions it sees were made by models that never saw those rows, so this estimates the ensemble as the bases'
 * CV estimates them (the bases themselves are not retrained per fold, as in H2O). `artifact` is
 * trainStackedEnsemble's, on every row; `seed` and `k` are the first base's.
 */
export function crossValidateMeta(frame: Frame, bases: StackBase[], options: StackOptions): CvResult<StackedArtifact> {
  const { target, task } = options;
  const { y, classes } = checkBases(frame, bases, options);
  const first = bases[0]!.oof;
  const outputs = outputsPerRow(classes);
  const metaParams = {
    target,
    task,
    classes,
    lambda: options.metaLambda ?? 1e-4,
    nonNegative: options.nonNegative ?? true,
  };
  const oof = new Float64Array(y.length * outputs);
  const perFold: Record<string, number>[] = [];
  const foldTimes: number[] = [];
  for (const fold of first.folds) {
    const started = Date.now();
    const trainOutputs = bases.map((b) => gatherRows(b.oof.oof, fold.train, outputs));
    const { meta, kept } = fitMeta(trainOutputs, gatherRows(y, fold.train, 1), metaParams);
    const testOutputs = kept.map((b) => gatherRows(bases[b]!.oof.oof, fold.test, outputs));
    const predictions = predictFrame(meta, metaFrame(testOutputs, fold.test.length, classes));
    scatterRows(oof, fold.test, predictions, outputs);
    perFold.push(foldMetrics(task, outputs, gatherRows(y, fold.test, 1), predictions));
    foldTimes.push(Date.now() - started);
  }
  const started = Date.now();
  const artifact = trainStackedEnsemble(frame, bases, options);
  const final = Date.now() - started;
  return {
    task,
    classes,
    k: first.folds.length,
    seed: first.seed,
    rows: first.rows,
    y,
    folds: first.folds,
    outputs,
    oof,
    foldMetrics: perFold,
    ...summariseFolds(perFold),
    oofMetrics: foldMetrics(task, outputs, y, oof),
    artifact,
    timings: { folds: foldTimes, final },
  };
}
