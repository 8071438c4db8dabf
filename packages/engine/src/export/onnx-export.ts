// Exports any engine model as an ONNX file that onnxruntime scores like predictFrame: preprocessing, model and output
// transform inside one graph, in double precision throughout.
import { EngineError } from '../errors.js';
import { isGlmArtifact, isStackedArtifact } from '../artifact/is-gbdt-artifact.js';
import type { ModelArtifact, SingleModelArtifact } from '../artifact/model-artifact.js';
import { metaFeatureNames, outputsPerRow } from '../artifact/stacked-features.js';
import { ColumnBuilder, modelColumns, type FeatureSources } from './onnx-columns.js';
import { glmPrediction } from './onnx-glm.js';
import { GraphBuilder, ML_DOMAIN, ints } from './onnx-graph.js';
import { encodeModel, type OnnxValueInfo } from './onnx-proto.js';
import { treePrediction } from './onnx-trees.js';

/**
 * The versions written. IR 10 with ai.onnx 21 and ai.onnx.ml 5 (the first with `TreeEnsemble`, which takes double
 * splits and set-membership nodes), as onnx 1.16 writes them; onnxruntime 1.30 runs them.
 */
export const ONNX_IR_VERSION = 10;
export const ONNX_OPSET = 21;
export const ONNX_ML_OPSET = 5;

export interface OnnxExportOptions {
  /** Written as the model's producer_version (default '0.1.0'). */
  producerVersion?: string;
  /** The graph's name (default 'modelyard'). */
  graphName?: string;
  /** Extra metadata_props entries (they do not override the ones the exporter writes). */
  metadata?: Record<string, string>;
}

/** Output names, as scikit-learn's converters (skl2onnx) name them. */
const LABEL = 'label';
const PROBABILITIES = 'probabilities';
const VARIABLE = 'variable';

/**
 * A serialised ONNX ModelProto. One input per feature, shape [N, 1], named after it: `tensor(double)` for numbers
 * (NaN = missing; ±Infinity counts as missing, as in the engine) and `tensor(string)` for categories ("" = missing).
 * Classifiers output `label` (tensor(string) [N], the most probable class, ties to the first) and `probabilities`
 * (tensor(double) [N, k] in `classes` order); regressors output `variable` (tensor(double) [N, 1]).
 */
export function exportOnnx(artifact: ModelArtifact, options: OnnxExportOptions = {}): Uint8Array {
  const g = new GraphBuilder();
  const classification = artifact.task === 'classification';
  const outputNames = classification ? [LABEL, PROBABILITIES] : [VARIABLE];
  for (const feature of artifact.features) {
    if (outputNames.includes(feature.name)) {
      throw new EngineError('invalid_param', `A feature named "${feature.name}" clashes with an ONNX output name`, {
        feature: feature.name,
      });
    }
    g.reserve(feature.name);
  }
  outputNames.forEach((name) => g.reserve(name));

  const types = new Map(artifact.features.map((f) => [f.name, f.type]));
  const input = (name: string, type: 'number' | 'category'): string => {
    if (types.get(name) !== type) {
      throw new EngineError(
        'invalid_artifact',
        `The model reads ${type} feature "${name}", which is not a ${type} input`,
        {
          feature: name,
        },
      );
    }
    return name;
  };
  const sources: FeatureSources = {
    number: (name) => input(name, 'number'),
    category: (name) => input(name, 'category'),
  };
  const columns = new ColumnBuilder(g);
  const prediction = predictionOf(columns, artifact, sources);

  const outputs: OnnxValueInfo[] = [];
  const classes = artifact.classes ?? [];
  if (classification) {
    const probabilities =
      outputsPerRow(artifact.classes) === 1
        ? g.op('Concat', [g.op('Sub', [g.doubles([1], []), prediction]), prediction], { axis: 1 })
        : prediction;
    g.op('Identity', [probabilities], {}, { output: PROBABILITIES });
    // The label comes from the probabilities, so both outputs always agree (ArgMax ties to the first class).
    const best = g.op('ArgMax', [probabilities], { axis: 1, keepdims: 0 });
    g.op(
      'LabelEncoder',
      [best],
      { keys_int64s: ints(classes.map((_, i) => i)), values_strings: classes, default_string: '' },
      { domain: ML_DOMAIN, output: LABEL },
    );
    outputs.push(
      { name: LABEL, type: 'string', shape: ['N'] },
      { name: PROBABILITIES, type: 'double', shape: ['N', classes.length] },
    );
  } else {
    g.op('Identity', [prediction], {}, { output: VARIABLE });
    outputs.push({ name: VARIABLE, type: 'double', shape: ['N', 1] });
  }

  const inputs: OnnxValueInfo[] = artifact.features.map((f) => ({
    name: f.name,
    type: f.type === 'number' ? 'double' : 'string',
    shape: ['N', 1],
  }));
  const metadata: Record<string, string> = {
    ...options.metadata,
    format: 'modelyard-onnx',
    model_kind: artifact.model.kind,
    target: artifact.target,
    task: artifact.task,
    classes: JSON.stringify(classes),
    features: JSON.stringify(artifact.features.map((f) => ({ name: f.name, type: f.type }))),
  };
  return encodeModel({
    irVersion: ONNX_IR_VERSION,
    opsets: [
      { domain: '', version: ONNX_OPSET },
      { domain: ML_DOMAIN, version: ONNX_ML_OPSET },
    ],
    producerName: 'modelyard',
    producerVersion: options.producerVersion ?? '0.1.0',
    docString: `${artifact.model.kind} ${artifact.task} model of "${artifact.target}"`,
    graph: { name: options.graphName ?? 'modelyard', nodes: g.nodes, initializers: g.initializers, inputs, outputs },
    metadata,
  });
}

/** The prediction tensor in predictFrame's layout: [N, 1], or [N, k] class probabilities over more than 2 classes. */
function predictionOf(columns: ColumnBuilder, artifact: ModelArtifact, sources: FeatureSources): string {
  if (!isStackedArtifact(artifact)) return singlePrediction(columns, artifact, sources);
  const { bases, meta } = artifact.model;
  const g = columns.g;
  const w = outputsPerRow(artifact.classes);
  // Base i's prediction feeds the meta GLM's columns base<i> (or base<i>:<class>, one per probability column).
  const metaColumns = new Map<string, string>();
  const names = metaFeatureNames(bases.length, artifact.classes);
  bases.forEach((base, i) => {
    const out = singlePrediction(columns, base, sources);
    for (let c = 0; c < w; c++) {
      const column = w === 1 ? out : g.op('Gather', [out, g.int64s([c])], { axis: 1 });
      metaColumns.set(names[i * w + c]!, column);
    }
  });
  const metaSources: FeatureSources = {
    number: (name) => {
      const column = metaColumns.get(name);
      if (column === undefined) {
        throw new EngineError('invalid_artifact', `The meta-learner reads "${name}", which no base predicts`, {
          feature: name,
        });
      }
      return column;
    },
    category: (name) => {
      throw new EngineError('invalid_artifact', `The meta-learner reads category "${name}"`, { feature: name });
    },
  };
  return singlePrediction(columns, meta, metaSources);
}

function singlePrediction(columns: ColumnBuilder, artifact: SingleModelArtifact, sources: FeatureSources): string {
  const inputs = modelColumns(columns, artifact, sources);
  return isGlmArtifact(artifact) ? glmPrediction(columns, artifact, inputs) : treePrediction(columns, artifact, inputs);
}
