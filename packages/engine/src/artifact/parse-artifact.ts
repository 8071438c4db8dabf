// Checks that untrusted JSON is a model artifact this engine can score, and returns it typed.
import { EngineError } from '../errors.js';
import type { FeatureEncoding, FeatureSpec, ModelArtifact } from './model-artifact.js';

/** Throws `invalid_artifact` with `{ path }` naming the first offending field. */
export function parseArtifact(json: unknown): ModelArtifact {
  const root = object(json, '');
  if (root.format !== 'modelyard-model') fail('format', 'format must be "modelyard-model"');
  if (root.formatVersion !== 1) fail('formatVersion', `unsupported formatVersion ${String(root.formatVersion)}`);
  const task = root.task;
  if (task !== 'classification' && task !== 'regression') fail('task', 'task must be classification or regression');
  string(root.target, 'target');

  const features = array(root.features, 'features').map((raw, i) => featureSpec(raw, `features[${i}]`));
  const names = new Set(features.map((f) => f.name));
  if (names.size !== features.length) fail('features', 'feature names must be unique');

  if (task === 'classification') {
    const classes = array(root.classes, 'classes').map((c, i) => string(c, `classes[${i}]`));
    if (classes.length !== 2 || classes[0] === classes[1]) fail('classes', 'classes must be two distinct labels');
  } else if (root.classes !== undefined) {
    fail('classes', 'a regression artifact has no classes');
  }

  const preprocessing = object(root.preprocessing, 'preprocessing');
  const encodings = array(preprocessing.encodings, 'preprocessing.encodings');
  if (encodings.length !== features.length) fail('preprocessing.encodings', 'one encoding per feature expected');
  let width = 0;
  encodings.forEach((raw, i) => {
    const encoding = featureEncoding(raw, `preprocessing.encodings[${i}]`, features[i]!);
    width += encoding.type === 'number' ? 1 : encoding.categories.length;
  });

  const model = object(root.model, 'model');
  if (model.kind !== 'glm') fail('model.kind', 'model.kind must be "glm"');
  const family = task === 'classification' ? 'binomial' : 'gaussian';
  if (model.family !== family) fail('model.family', `a ${task} GLM must have family ${family}`);
  finite(model.intercept, 'model.intercept');
  const coefficients = array(model.coefficients, 'model.coefficients');
  if (coefficients.length !== width) fail('model.coefficients', `expected ${width} coefficients`);
  coefficients.forEach((c, i) => finite(c, `model.coefficients[${i}]`));

  const metadata = object(root.metadata, 'metadata');
  array(metadata.droppedColumns, 'metadata.droppedColumns').forEach((raw, i) => {
    string(object(raw, `metadata.droppedColumns[${i}]`).name, `metadata.droppedColumns[${i}].name`);
  });
  return json as ModelArtifact;
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
