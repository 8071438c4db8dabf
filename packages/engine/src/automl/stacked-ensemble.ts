// Trains a stacked ensemble: a GLM meta-learner on the base models' out-of-fold predictions, packed with the bases
// into one artifact.
import type { FeatureSpec, ModelArtifact, SingleModelArtifact, StackedArtifact } from '../artifact/model-artifact.js';
import { parseArtifact } from '../artifact/parse-artifact.js';
import { outputsPerRow } from '../artifact/stacked-features.js';
import { EngineError } from '../errors.js';
import type { Frame } from '../frame/frame.js';
import { encodeTarget } from '../preprocess/encode-target.js';
import type { OutOfFold } from './cv-result.js';
import { fitMeta } from './fit-meta.js';

/** A base model: its final artifact and its out-of-fold predictions (a CvResult of crossValidate is both). */
export interface StackBase {
  artifact: ModelArtifact;
  oof: OutOfFold;
}

export interface StackOptions {
  target: string;
  task: 'classification' | 'regression';
  /** Unused by the GLM meta-learner (its fit has no randomness); kept so callers pass one seed through AutoML. */
  seed?: number;
  /** Ridge penalty of the meta GLM (glmnet scaling, standardised features). Default 1e-4. */
  metaLambda?: number;
  /** Drop bases that get a negative weight (binary and regression). Default true. */
  nonNegative?: boolean;
}

/**
 * Every base must be a single model of the same task, target and classes, cross-validated on the same rows of
 * `frame` (those with a target). The meta GLM reads each base's P(classes[1]) (binary), P(each class) (multiclass) or
 * prediction (regression). Bases the non-negativity rule removes are left out of the artifact and listed in
 * `metadata.droppedBases`.
 */
export function trainStackedEnsemble(frame: Frame, bases: StackBase[], options: StackOptions): StackedArtifact {
  const { target, task } = options;
  const metaLambda = options.metaLambda ?? 1e-4;
  const nonNegative = options.nonNegative ?? true;
  const { y, classes } = checkBases(frame, bases, options);
  const { meta, kept } = fitMeta(
    bases.map((b) => b.oof.oof),
    y,
    { target, task, classes, lambda: metaLambda, nonNegative },
  );
  const members = kept.map((b) => bases[b]!.artifact as SingleModelArtifact);

  const features = new Map<string, FeatureSpec>();
  members.forEach((base, b) =>
    base.features.forEach((spec) => {
      const seen = features.get(spec.name);
      if (seen === undefined) features.set(spec.name, spec);
      else if (JSON.stringify(seen) !== JSON.stringify(spec)) {
        throw new EngineError('invalid_param', `Feature "${spec.name}" differs between base models`, {
          feature: spec.name,
          base: kept[b],
        });
      }
    }),
  );
  const dropped = new Map<string, { name: string; reason: string }>();
  for (const base of members) {
    for (const d of base.metadata.droppedColumns)
      if (!features.has(d.name) && !dropped.has(d.name)) dropped.set(d.name, d);
  }
  const artifact: StackedArtifact = {
    format: 'modelyard-model',
    formatVersion: 2,
    task,
    target,
    features: [...features.values()],
    ...(classes === undefined ? {} : { classes: [...classes] }),
    preprocessing: { encodings: [] },
    model: { kind: 'stacked', bases: members, meta },
    metadata: {
      algorithm: 'stacked',
      params: { metaLambda, nonNegative },
      droppedColumns: [...dropped.values()],
      droppedBases: bases.flatMap((b, i) =>
        kept.includes(i)
          ? []
          : [{ index: i, algorithm: b.artifact.metadata.algorithm, reason: 'negative meta weight' }],
      ),
      trainRows: y.length,
      testRows: 0,
    },
  };
  // The artifact must load wherever it is sent; check it here rather than at the first scoring.
  parseArtifact(artifact);
  return artifact;
}

/** The target per used row, checked to be the rows, target and classes every base was cross-validated on. */
export function checkBases(
  frame: Frame,
  bases: StackBase[],
  options: { target: string; task: 'classification' | 'regression' },
): { y: Float64Array; classes: string[] | undefined } {
  if (bases.length === 0) throw new EngineError('invalid_param', 'A stacked ensemble needs at least one base model');
  if (!frame.has(options.target)) {
    throw new EngineError('unknown_column', `Unknown target "${options.target}"`, { column: options.target });
  }
  const { rows, y, classes } = encodeTarget(frame, options.target, options.task);
  const same = (a: ArrayLike<number>, b: ArrayLike<number>) =>
    a.length === b.length && Array.prototype.every.call(a, (v: number, i: number) => v === b[i]);
  bases.forEach((base, i) => {
    const { artifact, oof } = base;
    const problem =
      artifact.model.kind === 'stacked'
        ? 'is itself stacked'
        : artifact.task !== options.task || oof.task !== options.task
          ? `is not a ${options.task} model`
          : artifact.target !== options.target
            ? `predicts "${artifact.target}", not "${options.target}"`
            : JSON.stringify(artifact.classes) !== JSON.stringify(classes) ||
                JSON.stringify(oof.classes) !== JSON.stringify(classes)
              ? 'has other classes than the frame'
              : !same(oof.rows, rows) || !same(oof.y, y)
                ? "was cross-validated on other rows than the frame's"
                : oof.outputs !== outputsPerRow(classes) || oof.oof.length !== rows.length * oof.outputs
                  ? 'has the wrong number of out-of-fold predictions'
                  : undefined;
    if (problem !== undefined) {
      throw new EngineError('invalid_param', `Base model ${i} ${problem}`, { base: i });
    }
  });
  return { y, classes };
}
