// The artifact flattened for code generation: what the JavaScript and Java exports embed and interpret row by row.
import { isStackedArtifact } from '../artifact/is-gbdt-artifact.js';
import type { FeatureSpec, ModelArtifact, SingleModelArtifact } from '../artifact/model-artifact.js';
import { modelView } from '../artifact/model-view.js';
import { metaFeatureNames, outputsPerRow } from '../artifact/stacked-features.js';
import { marginsPerRow } from '../artifact/tree-scorer.js';

/** A target-encoded feature: its category index becomes one model column per output (-1 → the prior). */
export interface PlanTargetEncoded {
  outputs: { prior: number; values: number[] }[];
}

/** A numeric GLM column: non-finite → `impute`, then (x - center) / scale. Category columns have no parameters. */
export type PlanEncoding =
  { type: 'number'; impute: number; center: number; scale: number } | { type: 'category'; size: number };

export interface PlanGlm {
  kind: 'glm';
  /** How the linear predictors become outputs. */
  link: 'identity' | 'sigmoid' | 'softmax';
  intercepts: number[];
  /** One row of coefficients per linear predictor (model-column offsets, one-hot categories expanded). */
  coefficients: number[][];
  encodings: PlanEncoding[];
}

/** Every tree's nodes in flat arrays with global node ids, as the engine's `forestMargins` compiles them. */
export interface PlanTrees {
  kind: 'trees';
  /** gbdt: margins → outputs; forest: sums → means. */
  combine: 'identity' | 'sigmoid' | 'softmax' | 'exp' | 'forest-regression' | 'forest-binary' | 'forest-classes';
  /** Margins per row (tree t adds to margin t mod k). */
  k: number;
  /** Starting margins (k of them). */
  start: number[];
  roots: number[];
  feature: number[];
  threshold: number[];
  /** Offset into `masks` for a category split, -1 otherwise. */
  maskOffset: number[];
  masks: number[];
  defaultLeft: number[];
  left: number[];
  right: number[];
  value: number[];
  /** Number of category columns' categories, per model column (0 for a numeric column); for the Java encoding. */
  columnSizes: number[];
}

/** One single-model artifact: reads `features`, target-encodes, scores `width` outputs per row as predictFrame does. */
export interface PlanModel {
  features: FeatureSpec[];
  /** Per feature: its target encoding, or null. */
  targetEncoded: (PlanTargetEncoded | null)[];
  /** Model columns after target encoding. */
  columns: number;
  width: number;
  scorer: PlanGlm | PlanTrees;
}

export interface Plan {
  target: string;
  task: 'classification' | 'regression';
  features: FeatureSpec[];
  classes: string[] | undefined;
  /** Keys a record may carry besides the features (the target, dropped columns). */
  knownKeys: string[];
  /** Outputs per row of `predictBatch`, as predictFrame gives them (k class probabilities, or 1). */
  width: number;
  /** A single model, or the bases of a stacked ensemble whose outputs feed `meta`. */
  bases: PlanModel[];
  /** Stacked only: the meta GLM and, per meta feature, its index in the bases' concatenated outputs. */
  meta: { model: PlanModel; sources: number[] } | null;
}

export function modelPlan(artifact: ModelArtifact): Plan {
  const common = {
    target: artifact.target,
    task: artifact.task,
    features: artifact.features,
    classes: artifact.classes,
    knownKeys: [artifact.target, ...artifact.metadata.droppedColumns.map((d) => d.name)],
  };
  if (!isStackedArtifact(artifact)) {
    const single = singlePlan(artifact);
    return { ...common, width: single.width, bases: [single], meta: null };
  }
  const { bases, meta } = artifact.model;
  // The meta features read w outputs per base (metaFrame), so every base must give exactly w.
  const w = outputsPerRow(artifact.classes);
  const basePlans = bases.map(singlePlan);
  if (basePlans.some((b) => b.width !== w)) throw new Error(`every base of a stacked ensemble must give ${w} outputs`);
  const names = metaFeatureNames(bases.length, artifact.classes);
  const sources = meta.features.map((spec) => {
    const at = names.indexOf(spec.name);
    if (at < 0) throw new Error(`meta feature "${spec.name}" is not a base output`);
    return at;
  });
  const metaPlan = singlePlan(meta);
  return { ...common, width: metaPlan.width, bases: basePlans, meta: { model: metaPlan, sources } };
}

function singlePlan(artifact: SingleModelArtifact): PlanModel {
  const byFeature = new Map((artifact.preprocessing.targetEncoding?.columns ?? []).map((c) => [c.feature, c]));
  const targetEncoded = artifact.features.map((spec): PlanTargetEncoded | null => {
    const column = byFeature.get(spec.name);
    return column === undefined ? null : { outputs: column.outputs.map((o) => ({ prior: o.prior, values: o.values })) };
  });
  const view = modelView(artifact);
  const columns = view.features.length;
  if (columns !== artifact.preprocessing.encodings.length) throw new Error('model columns and encodings differ');
  const classes = artifact.classes?.length ?? 0;
  if (view.model.kind === 'glm') {
    const model = view.model;
    const multinomial = model.family === 'multinomial';
    const scorer: PlanGlm = {
      kind: 'glm',
      link: multinomial ? 'softmax' : model.family === 'binomial' ? 'sigmoid' : 'identity',
      intercepts: multinomial ? model.intercepts : [model.intercept],
      coefficients: multinomial ? model.coefficientMatrix : [model.coefficients],
      encodings: view.preprocessing.encodings.map((e) =>
        e.type === 'number'
          ? { type: 'number', impute: e.impute, center: e.center, scale: e.scale }
          : { type: 'category', size: e.categories.length },
      ),
    };
    return { features: artifact.features, targetEncoded, columns, width: scorer.intercepts.length, scorer };
  }
  const trees = treePlan(view as Extract<SingleModelArtifact, { model: { kind: 'gbdt' | 'forest' } }>, classes);
  return { features: artifact.features, targetEncoded, columns, width: trees.k, scorer: trees };
}

function treePlan(
  view: Extract<SingleModelArtifact, { model: { kind: 'gbdt' | 'forest' } }>,
  classes: number,
): PlanTrees {
  const k = marginsPerRow(view);
  const model = view.model;
  let combine: PlanTrees['combine'];
  let start: number[];
  if (model.kind === 'forest') {
    combine = view.task === 'regression' ? 'forest-regression' : k === 1 ? 'forest-binary' : 'forest-classes';
    start = new Array<number>(k).fill(0);
  } else {
    const objective = model.objective;
    combine =
      objective === 'softmax'
        ? 'softmax'
        : objective === 'logistic'
          ? 'sigmoid'
          : objective === 'poisson'
            ? 'exp'
            : 'identity';
    start = k === 1 ? [model.baseScore] : Array.from({ length: k }, (_, c) => model.classBaseScores?.[c] ?? 0);
  }
  if (combine === 'forest-classes' && k !== classes) throw new Error('forest classes and outputs differ');
  const columnSizes = view.features.map((spec) => (spec.type === 'category' ? spec.categories.length : 0));
  const plan: PlanTrees = {
    kind: 'trees',
    combine,
    k,
    start,
    roots: [],
    feature: [],
    threshold: [],
    maskOffset: [],
    masks: [],
    defaultLeft: [],
    left: [],
    right: [],
    value: [],
    columnSizes,
  };
  let base = 0;
  for (const tree of model.trees) {
    plan.roots.push(base);
    for (let node = 0; node < tree.feature.length; node++) {
      const f = tree.feature[node]!;
      plan.feature.push(f);
      plan.threshold.push(tree.threshold[node]!);
      plan.defaultLeft.push(tree.defaultLeft[node] ? 1 : 0);
      plan.left.push(f >= 0 ? base + tree.left[node]! : -1);
      plan.right.push(f >= 0 ? base + tree.right[node]! : -1);
      plan.value.push(tree.value[node]!);
      const size = f >= 0 ? (columnSizes[f] ?? 0) : 0;
      if (f >= 0 && view.features[f]?.type === 'category') {
        const offset = plan.masks.length;
        plan.maskOffset.push(offset);
        for (let c = 0; c < size; c++) plan.masks.push(0);
        for (const c of tree.leftCategories[node] ?? []) plan.masks[offset + c] = 1;
      } else {
        plan.maskOffset.push(-1);
      }
    }
    base += tree.feature.length;
  }
  return plan;
}
