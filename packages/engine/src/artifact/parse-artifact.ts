// Checks that untrusted JSON is a model artifact this engine can score, and returns it typed.
import { EngineError } from '../errors.js';
import type { FeatureEncoding, FeatureSpec, ModelArtifact, StackedArtifact } from './model-artifact.js';
import { metaFeatureNames } from './stacked-features.js';

/** Throws `invalid_artifact` with `{ path }` naming the first offending field. */
export function parseArtifact(json: unknown): ModelArtifact {
  const root = object(json, '');
  if (root.format !== 'modelyard-model') fail('format', 'format must be "modelyard-model"');
  const version = root.formatVersion;
  if (version !== 1 && version !== 2) fail('formatVersion', `unsupported formatVersion ${String(version)}`);
  const stacked = isObject(root.model) && root.model.kind === 'stacked';
  if (stacked && version !== 2) fail('formatVersion', 'a stacked model needs formatVersion 2');
  if (!stacked && version === 2) fail('formatVersion', 'formatVersion 2 holds a stacked model only; others use 1');
  const task = root.task;
  if (task !== 'classification' && task !== 'regression') fail('task', 'task must be classification or regression');
  string(root.target, 'target');
  if (stacked) return stackedArtifact(root, task);

  const features = array(root.features, 'features').map((raw, i) => featureSpec(raw, `features[${i}]`));
  const names = new Set(features.map((f) => f.name));
  if (names.size !== features.length) fail('features', 'feature names must be unique');

  let nClasses = 0;
  if (task === 'classification') {
    const classes = array(root.classes, 'classes').map((c, i) => string(c, `classes[${i}]`));
    const raw = root.model as Record<string, unknown> | null | undefined;
    const manyClasses =
      typeof raw === 'object' &&
      raw !== null &&
      ((raw.kind === 'gbdt' && raw.objective === 'softmax') ||
        raw.kind === 'forest' ||
        (raw.kind === 'glm' && raw.family === 'multinomial'));
    const distinct = new Set(classes).size === classes.length;
    if (manyClasses && !(distinct && classes.length >= 2))
      fail('classes', 'classes must be distinct labels, at least two');
    if (!manyClasses && !(distinct && classes.length === 2)) fail('classes', 'classes must be two distinct labels');
    nClasses = classes.length;
  } else if (root.classes !== undefined) {
    fail('classes', 'a regression artifact has no classes');
  }

  const preprocessing = object(root.preprocessing, 'preprocessing');
  // Trees and coefficients index the model columns: the features, target-encoded ones replaced by their outputs.
  const columns =
    preprocessing.targetEncoding === undefined
      ? features
      : targetEncodedColumns(preprocessing.targetEncoding, features, task === 'classification' ? root.classes : []);
  const encodings = array(preprocessing.encodings, 'preprocessing.encodings');
  if (encodings.length !== columns.length) fail('preprocessing.encodings', 'one encoding per model column expected');
  let width = 0;
  encodings.forEach((raw, i) => {
    const encoding = featureEncoding(raw, `preprocessing.encodings[${i}]`, columns[i]!);
    width += encoding.type === 'number' ? 1 : encoding.categories.length;
  });

  const model = object(root.model, 'model');
  if (model.kind === 'gbdt') gbdtModel(model, task, columns, nClasses);
  else if (model.kind === 'forest') forestModel(model, columns, nClasses);
  else {
    if (model.kind !== 'glm') fail('model.kind', 'model.kind must be "glm", "gbdt" or "forest"');
    glmModel(model, task, width, nClasses);
  }

  const metadata = object(root.metadata, 'metadata');
  array(metadata.droppedColumns, 'metadata.droppedColumns').forEach((raw, i) => {
    string(object(raw, `metadata.droppedColumns[${i}]`).name, `metadata.droppedColumns[${i}].name`);
  });
  return json as ModelArtifact;
}

/** Gaussian for regression; binomial over two classes; multinomial, one intercept and row per class, over more. */
function glmModel(model: Record<string, unknown>, task: 'classification' | 'regression', width: number, k: number) {
  const family = task === 'regression' ? 'gaussian' : k === 2 ? 'binomial' : 'multinomial';
  if (model.family !== family) {
    fail(
      'model.family',
      `a ${task} GLM${task === 'regression' ? '' : ` over ${k} classes`} must have family ${family}`,
    );
  }
  const row = (raw: unknown, path: string) => {
    const coefficients = array(raw, path);
    if (coefficients.length !== width) fail(path, `expected ${width} coefficients`);
    coefficients.forEach((c, i) => finite(c, `${path}[${i}]`));
  };
  if (model.family !== 'multinomial') {
    finite(model.intercept, 'model.intercept');
    row(model.coefficients, 'model.coefficients');
    return;
  }
  const intercepts = array(model.intercepts, 'model.intercepts');
  if (intercepts.length !== k) fail('model.intercepts', `expected ${k} intercepts, one per class`);
  intercepts.forEach((v, i) => finite(v, `model.intercepts[${i}]`));
  const matrix = array(model.coefficientMatrix, 'model.coefficientMatrix');
  if (matrix.length !== k) fail('model.coefficientMatrix', `expected ${k} rows, one per class`);
  matrix.forEach((raw, c) => row(raw, `model.coefficientMatrix[${c}]`));
}

const OBJECTIVES: Record<'classification' | 'regression', readonly string[]> = {
  classification: ['logistic', 'softmax'],
  regression: ['squared_error', 'absolute_error', 'poisson'],
};

function gbdtModel(
  model: Record<string, unknown>,
  task: 'classification' | 'regression',
  features: FeatureSpec[],
  nClasses: number,
) {
  if (typeof model.objective !== 'string' || !OBJECTIVES[task].includes(model.objective)) {
    fail('model.objective', `a ${task} GBDT needs one of ${OBJECTIVES[task].join(', ')}`);
  }
  finite(model.baseScore, 'model.baseScore');
  const trees = array(model.trees, 'model.trees');
  if (model.objective === 'softmax') {
    const scores = array(model.classBaseScores, 'model.classBaseScores');
    if (scores.length !== nClasses) fail('model.classBaseScores', `expected ${nClasses} scores, one per class`);
    scores.forEach((v, i) => finite(v, `model.classBaseScores[${i}]`));
    if (trees.length % nClasses !== 0) fail('model.trees', `expected a multiple of ${nClasses} trees, one per class`);
  } else if (model.classBaseScores !== undefined) {
    fail('model.classBaseScores', 'only a softmax model has class base scores');
  }
  trees.forEach((raw, t) => gbdtTree(raw, `model.trees[${t}]`, features));
}

/** At least one tree; over more than two classes, one tree per class and round. */
function forestModel(model: Record<string, unknown>, features: FeatureSpec[], nClasses: number) {
  const trees = array(model.trees, 'model.trees');
  const k = nClasses > 2 ? nClasses : 1;
  if (trees.length === 0 || trees.length % k !== 0) {
    fail('model.trees', k === 1 ? 'expected at least one tree' : `expected a positive multiple of ${k} trees`);
  }
  trees.forEach((raw, t) => gbdtTree(raw, `model.trees[${t}]`, features));
}

/** A tree is well formed when every node but the root has exactly one parent that comes before it. */
function gbdtTree(raw: unknown, path: string, features: FeatureSpec[]): void {
  const tree = object(raw, path);
  const feature = array(tree.feature, `${path}.feature`);
  const n = feature.length;
  if (n === 0) fail(`${path}.feature`, 'a tree needs at least one node');
  const field = (name: string): unknown[] => {
    const values = array(tree[name], `${path}.${name}`);
    if (values.length !== n) fail(`${path}.${name}`, `expected ${n} entries, one per node`);
    return values;
  };
  const [threshold, leftCategories, defaultLeft, left, right, value, cover] = [
    'threshold',
    'leftCategories',
    'defaultLeft',
    'left',
    'right',
    'value',
    'cover',
  ].map(field) as [unknown[], unknown[], unknown[], unknown[], unknown[], unknown[], unknown[]];
  const hasParent = new Uint8Array(n);
  // Paths are built only on failure: a 500-tree model has ~30,000 nodes to check, and loading should take milliseconds.
  const at = (name: string, node: number) => `${path}.${name}[${node}]`;
  const finiteNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  for (let node = 0; node < n; node++) {
    const f = feature[node];
    if (typeof f !== 'number' || !Number.isInteger(f) || f < -1 || f >= features.length) {
      fail(at('feature', node), `expected -1 or a feature index below ${features.length}`);
    }
    if (!finiteNumber(threshold[node])) fail(at('threshold', node), 'expected a finite number');
    if (!finiteNumber(value[node])) fail(at('value', node), 'expected a finite number');
    if (!finiteNumber(cover[node])) fail(at('cover', node), 'expected a finite number');
    if (typeof defaultLeft[node] !== 'boolean') fail(at('defaultLeft', node), 'expected a boolean');
    const cats = leftCategories[node];
    if (!Array.isArray(cats)) fail(at('leftCategories', node), 'expected an array');
    const spec = features[f];
    if (spec?.type === 'category') {
      for (let i = 0; i < cats.length; i++) {
        const k: unknown = cats[i];
        if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k >= spec.categories.length) {
          fail(`${at('leftCategories', node)}[${i}]`, `expected a category index below ${spec.categories.length}`);
        }
      }
    } else if (cats.length > 0) {
      fail(at('leftCategories', node), 'only category splits list categories');
    }
    for (const name of ['left', 'right'] as const) {
      const child = (name === 'left' ? left : right)[node];
      if (f === -1) {
        if (child !== -1) fail(at(name, node), 'a leaf has child -1');
        continue;
      }
      if (typeof child !== 'number' || !Number.isInteger(child) || child <= node || child >= n || hasParent[child]) {
        fail(at(name, node), 'expected a node id after this one that no other node points to');
      }
      hasParent[child] = 1;
    }
  }
  for (let node = 1; node < n; node++) if (!hasParent[node]) fail(`${path}.feature`, `node ${node} is unreachable`);
}

function featureSpec(raw: unknown, path: string): FeatureSpec {
  const spec = object(raw, path);
  const name = string(spec.name, `${path}.name`);
  if (spec.type === 'number') return { name, type: 'number' };
  if (spec.type !== 'category') fail(`${path}.type`, 'type must be number or category');
  const categories = array(spec.categories, `${path}.categories`).map((c, i) => string(c, `${path}.categories[${i}]`));
  return { name, type: 'category', categories };
}

function featureEncoding(raw: unknown, path: string, feature: FeatureSpec): FeatureEncoding {
  const encoding = object(raw, path);
  if (encoding.name !== feature.name || encoding.type !== feature.type) {
    fail(path, `encoding must match feature "${feature.name}" (${feature.type})`);
  }
  if (feature.type === 'number') {
    const impute = finite(encoding.impute, `${path}.impute`);
    const center = finite(encoding.center, `${path}.center`);
    const scale = finite(encoding.scale, `${path}.scale`);
    if (scale === 0) fail(`${path}.scale`, 'scale must not be zero');
    return { name: feature.name, type: 'number', impute, center, scale };
  }
  const categories = array(encoding.categories, `${path}.categories`).map((c, i) =>
    string(c, `${path}.categories[${i}]`),
  );
  if (categories.length !== feature.categories.length || categories.some((c, i) => c !== feature.categories[i])) {
    fail(`${path}.categories`, 'categories must match the feature schema');
  }
  return { name: feature.name, type: 'category', categories };
}

/**
 * Checks `preprocessing.targetEncoding` against the features and returns the model columns it makes: each encoded
 * category feature replaced by its numeric outputs (one estimating the target's mean or P(classes[1]), or one per
 * class over more than two classes), whose names clash with no other column.
 */
function targetEncodedColumns(raw: unknown, features: FeatureSpec[], classes: unknown): FeatureSpec[] {
  const path = 'preprocessing.targetEncoding';
  const encoding = object(raw, path);
  if (encoding.version !== 1) fail(`${path}.version`, `unsupported version ${String(encoding.version)}`);
  const m = encoding.smoothing;
  if (m !== 'auto' && !(typeof m === 'number' && Number.isFinite(m) && m >= 0)) {
    fail(`${path}.smoothing`, 'expected "auto" or a number >= 0');
  }
  const folds = encoding.folds;
  if (typeof folds !== 'number' || !Number.isInteger(folds) || folds < 0)
    fail(`${path}.folds`, 'expected an integer >= 0');
  const labels = Array.isArray(classes) ? (classes as string[]) : [];
  // What the outputs of one feature estimate, in order: the mean (regression), P(classes[1]), or P(each class).
  const expected: (string | undefined)[] = labels.length > 2 ? labels : labels.length === 2 ? [labels[1]] : [undefined];
  const outputsOf = new Map<string, FeatureSpec[]>();
  array(encoding.columns, `${path}.columns`).forEach((rawColumn, c) => {
    const at = `${path}.columns[${c}]`;
    const column = object(rawColumn, at);
    const name = string(column.feature, `${at}.feature`);
    const feature = features.find((f) => f.name === name);
    if (feature?.type !== 'category') fail(`${at}.feature`, 'expected a category feature');
    if (outputsOf.has(name)) fail(`${at}.feature`, 'a feature is target-encoded once');
    const categories = array(column.categories, `${at}.categories`).map((v, i) => string(v, `${at}.categories[${i}]`));
    if (categories.length !== feature.categories.length || categories.some((v, i) => v !== feature.categories[i])) {
      fail(`${at}.categories`, 'categories must match the feature schema');
    }
    const outputs = array(column.outputs, `${at}.outputs`);
    if (outputs.length !== expected.length) fail(`${at}.outputs`, `expected ${expected.length} output(s)`);
    outputsOf.set(
      name,
      outputs.map((rawOutput, o) => {
        const out = `${at}.outputs[${o}]`;
        const output = object(rawOutput, out);
        if (output.class !== expected[o])
          fail(`${out}.class`, expected[o] === undefined ? 'expected no class' : `expected "${expected[o]}"`);
        finite(output.prior, `${out}.prior`);
        const values = array(output.values, `${out}.values`);
        if (values.length !== categories.length) fail(`${out}.values`, 'expected one value per category');
        values.forEach((v, i) => finite(v, `${out}.values[${i}]`));
        return { name: string(output.name, `${out}.name`), type: 'number' as const };
      }),
    );
  });
  const columns = features.flatMap((f) => outputsOf.get(f.name) ?? [f]);
  if (new Set(columns.map((f) => f.name)).size !== columns.length) {
    fail(`${path}.columns`, 'output names must be unique and differ from the other features');
  }
  return columns;
}

/**
 * A stacked ensemble: complete base artifacts (formatVersion 1) and a GLM meta artifact, all with this artifact's task,
 * target and classes; `features` is the union of the bases' features in order of first appearance (a shared feature
 * has the same spec in every base), and the meta GLM reads exactly the meta features the bases produce.
 */
function stackedArtifact(root: Record<string, unknown>, task: 'classification' | 'regression'): StackedArtifact {
  let classes: string[] | undefined;
  if (task === 'classification') {
    classes = array(root.classes, 'classes').map((c, i) => string(c, `classes[${i}]`));
    if (new Set(classes).size !== classes.length || classes.length < 2)
      fail('classes', 'classes must be distinct labels, at least two');
  } else if (root.classes !== undefined) {
    fail('classes', 'a regression artifact has no classes');
  }
  const preprocessing = object(root.preprocessing, 'preprocessing');
  if (
    array(preprocessing.encodings, 'preprocessing.encodings').length > 0 ||
    preprocessing.targetEncoding !== undefined
  )
    fail('preprocessing', 'a stacked artifact has no preprocessing of its own (each base carries its own)');
  const model = object(root.model, 'model');
  const sameModel = (artifact: ModelArtifact, path: string) => {
    if (artifact.formatVersion !== 1) fail(`${path}.formatVersion`, 'a stacked model cannot be nested');
    if (artifact.task !== task) fail(`${path}.task`, `expected task ${task}`);
    if (artifact.target !== root.target) fail(`${path}.target`, `expected target ${String(root.target)}`);
    if (JSON.stringify(artifact.classes) !== JSON.stringify(classes))
      fail(`${path}.classes`, 'expected the same classes');
  };
  const bases = array(model.bases, 'model.bases');
  if (bases.length === 0) fail('model.bases', 'expected at least one base model');
  const union = new Map<string, FeatureSpec>();
  bases.forEach((raw, i) => {
    const path = `model.bases[${i}]`;
    const base = nested(raw, path);
    sameModel(base, path);
    base.features.forEach((spec, f) => {
      const seen = union.get(spec.name);
      if (seen === undefined) union.set(spec.name, spec);
      else if (JSON.stringify(seen) !== JSON.stringify(spec))
        fail(`${path}.features[${f}]`, `feature "${spec.name}" must have the same spec in every base`);
    });
  });
  const features = array(root.features, 'features').map((raw, i) => featureSpec(raw, `features[${i}]`));
  if (JSON.stringify(features) !== JSON.stringify([...union.values()]))
    fail('features', "features must be the union of the bases' features, in order of first appearance");

  const meta = nested(model.meta, 'model.meta');
  sameModel(meta, 'model.meta');
  if (meta.model.kind !== 'glm') fail('model.meta.model.kind', 'the meta model must be a GLM');
  const expected = metaFeatureNames(bases.length, classes);
  const metaNames = meta.features.map((f) => (f.type === 'number' ? f.name : ''));
  if (JSON.stringify(metaNames) !== JSON.stringify(expected))
    fail('model.meta.features', `expected the number features ${expected.join(', ')}`);
  if (meta.preprocessing.targetEncoding !== undefined)
    fail('model.meta.preprocessing.targetEncoding', 'the meta model has no target encoding');

  const metadata = object(root.metadata, 'metadata');
  array(metadata.droppedColumns, 'metadata.droppedColumns').forEach((raw, i) => {
    string(object(raw, `metadata.droppedColumns[${i}]`).name, `metadata.droppedColumns[${i}].name`);
  });
  return root as unknown as StackedArtifact;
}

/** A nested artifact, parsed in full; a failure's path is prefixed with where it sits. */
function nested(raw: unknown, path: string): ModelArtifact {
  try {
    return parseArtifact(raw);
  } catch (error) {
    if (!(error instanceof EngineError) || error.code !== 'invalid_artifact') throw error;
    const inner = String((error.details as { path?: unknown } | undefined)?.path ?? '');
    fail(inner === '' ? path : `${path}.${inner}`, error.message.replace(/^Invalid model artifact( at \S+)?: /, ''));
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'expected an object');
  return value as Record<string, unknown>;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, 'expected an array');
  return value;
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, 'expected a string');
  return value;
}

function finite(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'expected a finite number');
  return value;
}

function fail(path: string, message: string): never {
  throw new EngineError('invalid_artifact', `Invalid model artifact${path === '' ? '' : ` at ${path}`}: ${message}`, {
    path,
  });
}
