// Imported ONNX models: read and check the file, derive a feature schema from its inputs, and score JSON records with
// onnxruntime-node into the engine's prediction shape.
import type { FeatureRecord, FeatureSpec, Prediction, RecordIssue } from '@modelyard/engine';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { badRequest, unprocessable, type ModelyardError } from '../errors.js';
import {
  OnnxProtoError,
  parseModelProto,
  withGraphOutput,
  type ProtoDim,
  type ProtoModel,
  type ProtoNode,
  type ProtoType,
} from './onnx-proto.js';

/** TensorProto.DataType names, by number. */
const ELEMENT_TYPES: Record<number, string> = {
  1: 'float',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'double',
  12: 'uint32',
  13: 'uint64',
  14: 'complex64',
  15: 'complex128',
  16: 'bfloat16',
  17: 'float8e4m3fn',
  18: 'float8e4m3fnuz',
  19: 'float8e5m2',
  20: 'float8e5m2fnuz',
  21: 'uint4',
  22: 'int4',
  23: 'float4e2m1',
};

export type OnnxDim = number | string | null;

export interface OnnxValueInfo {
  name: string;
  /** `tensor`, `sparse_tensor`, `sequence`, `map`, `optional` or `unknown`. */
  kind: ProtoType['kind'] | 'unknown';
  /** The element type of a tensor (`float`, `double`, `int64`, `string`, `bool`, …). */
  elementType?: string;
  /** A tensor's dims: sizes, symbolic names (`N`), or null when unknown; absent when the rank is unknown. */
  shape?: OnnxDim[];
  /** The whole type as ONNX writes it, e.g. `tensor(float)[N,11]` or `seq(map(string,tensor(float)))`. */
  type: string;
}

export interface OnnxModelInfo {
  irVersion: number;
  producerName: string;
  producerVersion: string;
  domain: string;
  modelVersion: number | undefined;
  docString: string;
  graphName: string;
  opsetImports: { domain: string; version: number }[];
  /** The graph's real inputs (initializers listed as inputs by old IR versions are left out). */
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  metadata: Record<string, string>;
}

/** Metadata keys read from the model: feature names of [N, F] inputs and class labels (JSON arrays of strings). */
export const ONNX_FEATURES_KEY = 'modelyard.features';
export const ONNX_CLASSES_KEY = 'modelyard.classes';

const invalid = (message: string, details?: Record<string, unknown>): ModelyardError =>
  badRequest('invalid_onnx', message, details);
const unsupported = (message: string, details?: Record<string, unknown>): ModelyardError =>
  unprocessable('unsupported_onnx', message, details);

/** Parses and checks an ONNX ModelProto; anything else fails with `invalid_onnx`. */
export function readOnnxModel(bytes: Uint8Array): OnnxModelInfo {
  return parseOnnx(bytes).info;
}

function parseOnnx(bytes: Uint8Array): { info: OnnxModelInfo; proto: ProtoModel } {
  if (bytes.length === 0) throw invalid('The file is empty; an ONNX model was expected.');
  const first = bytes.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (first === 0x7b || first === 0x5b) {
    throw invalid('The file is JSON (a Modelyard artifact?), not an ONNX model.');
  }
  let proto: ProtoModel;
  try {
    proto = parseModelProto(bytes);
  } catch (error) {
    if (error instanceof OnnxProtoError) {
      throw invalid(`Not a valid ONNX model (damaged or truncated, or another format): ${error.message}.`);
    }
    throw error;
  }
  const notModel = (why: string): ModelyardError => invalid(`Not an ONNX model: ${why}.`);
  if (proto.irVersion === undefined || proto.irVersion < 1) throw notModel('it has no ir_version');
  if (proto.opsetImports.length === 0) throw notModel('it imports no operator set');
  const graph = proto.graph;
  if (graph === undefined) throw notModel('it has no graph');
  const initializers = new Set(graph.initializerNames);
  const inputs = graph.inputs.filter((v) => !initializers.has(v.name));
  if (inputs.length === 0) throw notModel('its graph has no inputs');
  if (graph.outputs.length === 0) throw notModel('its graph has no outputs');
  for (const value of [...inputs, ...graph.outputs]) {
    if (value.name === '') throw notModel('a graph input or output has no name');
    if (value.type === undefined) throw notModel(`graph value '${value.name}' has no type`);
  }
  // fromEntries defines own properties, so a key such as `__proto__` stays data.
  const metadata: Record<string, string> = Object.fromEntries(proto.metadataProps.map((p) => [p.key, p.value]));
  const info: OnnxModelInfo = {
    irVersion: proto.irVersion,
    producerName: proto.producerName,
    producerVersion: proto.producerVersion,
    domain: proto.domain,
    modelVersion: proto.modelVersion,
    docString: proto.docString,
    graphName: graph.name,
    opsetImports: proto.opsetImports,
    inputs: inputs.map((v) => valueInfo(v.name, v.type)),
    outputs: graph.outputs.map((v) => valueInfo(v.name, v.type)),
    metadata,
  };
  return { info, proto };
}

function valueInfo(name: string, type: ProtoType | undefined): OnnxValueInfo {
  const info: OnnxValueInfo = { name, kind: type?.kind ?? 'unknown', type: typeText(type) };
  if (type?.kind === 'tensor' || type?.kind === 'sparse_tensor') {
    info.elementType = elementName(type.elemType);
    if (type.shape !== undefined) info.shape = type.shape;
  }
  return info;
}

const elementName = (code: number): string => ELEMENT_TYPES[code] ?? `type ${code}`;
const dimText = (d: ProtoDim): string => (d === null ? '?' : String(d));

function typeText(type: ProtoType | undefined): string {
  if (type === undefined) return 'unknown';
  switch (type.kind) {
    case 'tensor':
    case 'sparse_tensor': {
      const shape = type.shape === undefined ? '' : `[${type.shape.map(dimText).join(',')}]`;
      return `${type.kind}(${elementName(type.elemType)})${shape}`;
    }
    case 'sequence':
      return `seq(${typeText(type.elem)})`;
    case 'optional':
      return `optional(${typeText(type.elem)})`;
    case 'map':
      return `map(${elementName(type.keyType)},${typeText(type.value)})`;
    default:
      return 'unknown';
  }
}

// ---- The feature schema ------------------------------------------------------------------------------------------

type ValueKind = 'float' | 'integer' | 'bool' | 'string';

/** How one graph input is fed: its ORT tensor type and the features that fill its columns (one for [N] / [N,1]). */
export interface OnnxInputBinding {
  input: string;
  tensorType: Tensor.Type;
  kind: ValueKind;
  /** The tensor's rank as fed: 1 for [N], 2 for [N, columns]. */
  rank: 1 | 2;
  features: string[];
  /** Rows per run: 1 when the model fixes its batch dimension to 1. */
  batch: number | undefined;
}

export interface OnnxFeatureSchema {
  features: FeatureSpec[];
  bindings: OnnxInputBinding[];
}

/** Feature columns over all inputs: a guard against a tiny file declaring [N, 10^9]. */
const MAX_FEATURES = 100_000;

const TENSOR_TYPES: Record<string, { tensorType: Tensor.Type; kind: ValueKind }> = {
  float: { tensorType: 'float32', kind: 'float' },
  double: { tensorType: 'float64', kind: 'float' },
  int8: { tensorType: 'int8', kind: 'integer' },
  int16: { tensorType: 'int16', kind: 'integer' },
  int32: { tensorType: 'int32', kind: 'integer' },
  int64: { tensorType: 'int64', kind: 'integer' },
  uint8: { tensorType: 'uint8', kind: 'integer' },
  uint16: { tensorType: 'uint16', kind: 'integer' },
  uint32: { tensorType: 'uint32', kind: 'integer' },
  uint64: { tensorType: 'uint64', kind: 'integer' },
  bool: { tensorType: 'bool', kind: 'bool' },
  string: { tensorType: 'string', kind: 'string' },
};

/**
 * One feature per [N] or [N, 1] input, named after it (strings are categories without a category list, the rest
 * numbers); F features per [N, F] input, named by `modelyard.features` or sklearn-style `feature_names` in the
 * metadata when they list exactly that many names over all such inputs, else `x0..x{F-1}` (`<input>_x0…` when several).
 */
export function onnxFeatureSchema(info: OnnxModelInfo): OnnxFeatureSchema {
  const matrices = info.inputs.filter((v) => v.shape?.length === 2 && v.shape[1] !== 1);
  const widths = matrices.map((v) => v.shape![1]);
  const total = widths.reduce<number>((sum, w) => sum + (typeof w === 'number' ? w : 0), 0);
  const listed = featureNamesFromMetadata(info.metadata);
  const usable = listed !== undefined && listed.length === total && listed.every((name) => name !== '');
  const named = usable ? [...listed] : undefined;
  if (total > MAX_FEATURES) {
    throw unsupported(`The model's inputs have ${total} columns; Modelyard serves at most ${MAX_FEATURES}.`);
  }
  const bindings = info.inputs.map((input): OnnxInputBinding => {
    const about = { input: input.name, type: input.type };
    const types = input.kind === 'tensor' ? TENSOR_TYPES[input.elementType ?? ''] : undefined;
    if (types === undefined) {
      throw unsupported(
        `Input '${input.name}' is ${input.type}; Modelyard feeds numeric, bool or string tensors.`,
        about,
      );
    }
    const shape = input.shape ?? [null, 1];
    const batchDim = shape[0];
    // Some exporters write 0 or -1 for a free batch size.
    if (typeof batchDim === 'number' && batchDim > 1) {
      throw unsupported(`Input '${input.name}' fixes its batch size to ${batchDim}; only 1 or a free size is served.`);
    }
    const batch = batchDim === 1 ? 1 : undefined;
    if (shape.length === 1) return { input: input.name, ...types, rank: 1, features: [input.name], batch };
    const width = shape[1];
    if (shape.length !== 2 || typeof width !== 'number' || width < 1) {
      throw unsupported(
        `Input '${input.name}' is ${input.type}; Modelyard serves tabular inputs shaped [N], [N,1] or [N,F] with F known.`,
        about,
      );
    }
    if (width === 1) return { input: input.name, ...types, rank: 2, features: [input.name], batch };
    const prefix = matrices.length > 1 ? `${input.name}_x` : 'x';
    const features = named?.splice(0, width) ?? Array.from({ length: width }, (_, j) => `${prefix}${j}`);
    return { input: input.name, ...types, rank: 2, features, batch };
  });
  const features: FeatureSpec[] = [];
  const seen = new Set<string>();
  for (const binding of bindings) {
    for (const name of binding.features) {
      if (seen.has(name)) throw unsupported(`Two inputs would both be fed by a feature named '${name}'.`);
      seen.add(name);
      features.push(binding.kind === 'string' ? { name, type: 'category', categories: [] } : { name, type: 'number' });
    }
  }
  return { features, bindings };
}

/** `modelyard.features` (a JSON array), else `feature_names` (a JSON array or comma-separated names). */
export function featureNamesFromMetadata(metadata: Record<string, string>): string[] | undefined {
  const own = stringArray(metadata[ONNX_FEATURES_KEY]);
  if (own !== undefined) return own;
  const sklearn = metadata['feature_names'];
  if (sklearn === undefined) return undefined;
  return stringArray(sklearn) ?? sklearn.split(',').map((name) => name.trim());
}

function stringArray(text: string | undefined): string[] | undefined {
  if (text === undefined || !text.trimStart().startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
  } catch {
    return undefined;
  }
}

// ---- Outputs: classifier or regressor ------------------------------------------------------------------------------

type OutputPlan =
  /** `inner`: the probabilities are an inner tensor (a ZipMap's input) that `load` adds to the graph's outputs. */
  | { task: 'classification'; output: string; classes: string[] | undefined; inner: boolean }
  | { task: 'regression'; output: string };

const CLASSIFIER_OPS = new Set(['TreeEnsembleClassifier', 'LinearClassifier', 'SVMClassifier']);
const isFloat = (v: OnnxValueInfo): boolean => v.elementType === 'float' || v.elementType === 'double';
const isColumn = (v: OnnxValueInfo): boolean =>
  v.kind === 'tensor' && v.shape !== undefined && (v.shape.length === 1 || (v.shape.length === 2 && v.shape[1] === 1));

/**
 * A classifier has a float tensor output [N, k] (k unknown or at least 2) beside a label output, a classifier
 * operator or a ZipMap; its classes come from that operator's `classlabels_*`, then `modelyard.classes`, then
 * `0..k-1`. sklearn's ZipMap output (a sequence of maps) cannot be returned by onnxruntime-node, so when it is the
 * only probabilities output, the ZipMap's input tensor is scored instead. Otherwise the first float tensor output [N]
 * or [N, 1] is a regression value.
 */
function planOutputs(info: OnnxModelInfo, proto: ProtoModel): OutputPlan {
  const nodes = proto.graph?.nodes ?? [];
  const classifier = nodes.find((n) => CLASSIFIER_OPS.has(n.opType));
  const fromMetadata = stringArray(info.metadata[ONNX_CLASSES_KEY]);
  const probabilities = info.outputs.filter(
    (v) => v.kind === 'tensor' && isFloat(v) && v.shape?.length === 2 && v.shape[1] !== 1,
  );
  const labels = info.outputs.filter((v) => isColumn(v) && ['string', 'int64', 'int32'].includes(v.elementType ?? ''));
  const zipMap = info.outputs.find((v) => v.kind === 'sequence' && v.type.startsWith('seq(map('));
  if (probabilities.length > 0 && (labels.length > 0 || classifier !== undefined || zipMap !== undefined)) {
    const direct = probabilities.find((v) => v.name === classifier?.outputs[1]);
    const output = direct ?? probabilities[0]!;
    const width = output.shape?.[1];
    const fits = (list: string[] | undefined): list is string[] =>
      list !== undefined && list.length > 0 && (typeof width !== 'number' || list.length === width);
    const fromNode = classLabels(classifier);
    const classes = fits(fromNode) ? fromNode : fits(fromMetadata) ? fromMetadata : undefined;
    return { task: 'classification', output: output.name, classes, inner: false };
  }
  if (zipMap !== undefined) {
    const zipNode = nodes.find((n) => n.opType === 'ZipMap' && n.outputs[0] === zipMap.name);
    const input = zipNode?.inputs[0];
    if (input === undefined || input === '') {
      throw unsupported(
        `Output '${zipMap.name}' is ${zipMap.type}, which onnxruntime-node cannot return, and no ZipMap node ` +
          `produces it; export the classifier with its probabilities as a tensor (skl2onnx: options={'zipmap': False}).`,
      );
    }
    const classes = [classLabels(zipNode), classLabels(classifier), fromMetadata].find(
      (l) => l !== undefined && l.length > 0,
    );
    return { task: 'classification', output: input, classes, inner: true };
  }
  const value = info.outputs.find((v) => isColumn(v) && isFloat(v));
  if (value === undefined) {
    throw unsupported(
      'No output Modelyard can serve: a classifier needs a float probabilities tensor [N,k] and a label output, ' +
        'a regressor a float tensor [N] or [N,1].',
      { outputs: info.outputs.map((o) => ({ name: o.name, type: o.type })) },
    );
  }
  return { task: 'regression', output: value.name };
}

/** A classifier's or ZipMap's `classlabels_strings` / `classlabels_int64s`, as text. */
function classLabels(node: ProtoNode | undefined): string[] | undefined {
  const attribute = node?.attributes.find((a) => a.name.startsWith('classlabels_'));
  if (attribute === undefined) return undefined;
  return attribute.strings.length > 0 ? attribute.strings : attribute.ints.map(String);
}

// ---- Scoring -------------------------------------------------------------------------------------------------------

type Cell = number | string | bigint | boolean;
type ReadCell = { ok: true; value: Cell } | { ok: false; expected: 'number' | 'string' };

const INTEGER_RANGES: Partial<Record<Tensor.Type, [number, number]>> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 2 ** 32 - 1],
  uint64: [0, Number.MAX_SAFE_INTEGER],
};

/**
 * One JSON value as a tensor cell. Floats take numbers and numeric strings (null, blank or NaN → NaN, the missing
 * value); integers and bools have no missing value, so null is refused; strings take strings and numbers (null →
 * '', which encoders treat as an unseen category).
 */
function readCell(binding: OnnxInputBinding, raw: unknown): ReadCell {
  const text = typeof raw === 'string' ? raw.trim() : undefined;
  const number = typeof raw === 'number' ? raw : text !== undefined && text !== '' ? Number(text) : Number.NaN;
  switch (binding.kind) {
    case 'string':
      if (raw === null || raw === undefined) return { ok: true, value: '' };
      if (typeof raw === 'string') return { ok: true, value: raw };
      if (typeof raw === 'number' && Number.isFinite(raw)) return { ok: true, value: String(raw) };
      return { ok: false, expected: 'string' };
    case 'float':
      if (raw === null || raw === undefined || text === '' || Number.isNaN(raw)) return { ok: true, value: Number.NaN };
      return Number.isFinite(number) ? { ok: true, value: number } : { ok: false, expected: 'number' };
    case 'bool':
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      if (text === 'true' || text === 'false') return { ok: true, value: text === 'true' };
      return number === 0 || number === 1 ? { ok: true, value: number === 1 } : { ok: false, expected: 'number' };
    case 'integer': {
      const [low, high] = INTEGER_RANGES[binding.tensorType]!;
      if (!Number.isInteger(number) || number < low || number > high) return { ok: false, expected: 'number' };
      return {
        ok: true,
        value: binding.tensorType === 'int64' || binding.tensorType === 'uint64' ? BigInt(number) : number,
      };
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function emptyColumn(type: Tensor.Type, size: number): Tensor.DataType | string[] {
  switch (type) {
    case 'float32':
      return new Float32Array(size);
    case 'float64':
      return new Float64Array(size);
    case 'int8':
      return new Int8Array(size);
    case 'int16':
      return new Int16Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'int64':
      return new BigInt64Array(size);
    case 'uint16':
      return new Uint16Array(size);
    case 'uint32':
      return new Uint32Array(size);
    case 'uint64':
      return new BigUint64Array(size);
    case 'string':
      return new Array<string>(size).fill('');
    default:
      return new Uint8Array(size); // uint8 and bool (one byte per value)
  }
}

export interface OnnxScorerOptions {
  /** onnxruntime's intra-op threads (default 1: endpoints share the host with training). */
  threads?: number;
}

/** A loaded ONNX model: its description, feature schema and an onnxruntime session. */
export class OnnxScorer {
  readonly task: 'classification' | 'regression';
  readonly features: FeatureSpec[];
  private labels: string[] | undefined;
  private readonly known: Set<string>;

  private constructor(
    readonly info: OnnxModelInfo,
    private readonly schema: OnnxFeatureSchema,
    private readonly plan: OutputPlan,
    private readonly session: InferenceSession,
  ) {
    this.task = plan.task;
    this.features = schema.features;
    this.labels = plan.task === 'classification' ? plan.classes : undefined;
    // A key naming the model's target (metadata `target`) is allowed and ignored, as in the engine's records.
    const target = info.metadata['target'];
    this.known = new Set([...schema.features.map((f) => f.name), ...(target === undefined ? [] : [target])]);
  }

  /** Checks the file, derives schema and outputs, then opens an onnxruntime session (its errors → `invalid_onnx`). */
  static async load(bytes: Uint8Array, options: OnnxScorerOptions = {}): Promise<OnnxScorer> {
    const { info, proto } = parseOnnx(bytes);
    const schema = onnxFeatureSchema(info);
    const plan = planOutputs(info, proto);
    let session: InferenceSession;
    try {
      // The ZipMap's input tensor is added to the outputs (ZipMap's input is float by its definition: type 1).
      const runnable = plan.task === 'classification' && plan.inner ? withGraphOutput(bytes, plan.output, 1) : bytes;
      session = await InferenceSession.create(runnable, {
        intraOpNumThreads: options.threads ?? 1,
        interOpNumThreads: 1,
        // Errors only: onnxruntime warns on stderr about shape merges that imported graphs often have.
        logSeverityLevel: 3,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw invalid(`onnxruntime cannot load the model: ${message}`, { runtime: message });
    }
    return new OnnxScorer(info, schema, plan, session);
  }

  /** Class labels when the model names them; otherwise `0..k-1` once a batch has been scored (k from its output). */
  get classes(): readonly string[] | undefined {
    return this.labels;
  }

  /** Missing, unexpected and wrong-typed fields, per record: features in schema order, then extra keys. */
  validate(records: unknown[]): RecordIssue[] {
    const issues: RecordIssue[] = [];
    records.forEach((record, row) => {
      if (!isPlainObject(record)) {
        issues.push({ row, field: '', problem: 'wrong_type' });
        return;
      }
      const fields = record;
      for (const binding of this.schema.bindings) {
        for (const name of binding.features) {
          if (!Object.hasOwn(fields, name)) {
            issues.push({ row, field: name, problem: 'missing' });
            continue;
          }
          const read = readCell(binding, fields[name]);
          if (!read.ok) issues.push({ row, field: name, problem: 'wrong_type', expected: read.expected });
        }
      }
      for (const key of Object.keys(fields)) {
        if (!this.known.has(key)) issues.push({ row, field: key, problem: 'unexpected' });
      }
    });
    return issues;
  }

  /** Scores records (one tensor per input per run); throws `invalid_records` with `{ issues }` when any is unusable. */
  async score(records: FeatureRecord[]): Promise<Prediction[]> {
    if (records.length === 0) return [];
    const issues = this.validate(records);
    if (issues.length > 0) {
      throw badRequest('invalid_records', `${issues.length} problem(s) in the records`, {
        issues: issues.slice(0, 100),
      });
    }
    if (!this.schema.bindings.some((b) => b.batch === 1)) return this.scoreBatch(records);
    // The model takes one row per run.
    const predictions: Prediction[] = [];
    for (const record of records) predictions.push(...(await this.scoreBatch([record])));
    return predictions;
  }

  private async scoreBatch(records: FeatureRecord[]): Promise<Prediction[]> {
    const n = records.length;
    const feeds: Record<string, Tensor> = {};
    for (const binding of this.schema.bindings) {
      const width = binding.features.length;
      const data = emptyColumn(binding.tensorType, n * width);
      records.forEach((record, i) => {
        binding.features.forEach((name, j) => {
          const read = readCell(binding, record[name]);
          if (read.ok)
            (data as Cell[])[i * width + j] = typeof read.value === 'boolean' ? Number(read.value) : read.value;
        });
      });
      const dims = binding.rank === 1 ? [n] : [n, width];
      feeds[binding.input] = new Tensor(binding.tensorType, data as Tensor.DataType, dims);
    }
    let result: InferenceSession.ReturnType;
    try {
      result = await this.session.run(feeds, [this.plan.output]);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw unprocessable('onnx_runtime_error', `onnxruntime could not score the records: ${message}`);
    }
    const output = result[this.plan.output]!;
    const values = Array.from(output.data as ArrayLike<number | bigint>, Number);
    if (this.plan.task === 'regression') return values.map((value) => ({ value }));
    const k = output.dims[1] ?? 0;
    const classes = (this.labels ??= Array.from({ length: k }, (_, c) => String(c)));
    const predictions: Prediction[] = [];
    for (let i = 0; i < n; i++) {
      const probabilities: Record<string, number> = {};
      let best = 0;
      for (let c = 0; c < k; c++) {
        const p = values[i * k + c]!;
        probabilities[classes[c] ?? String(c)] = p;
        // The label is the most probable class (the first on ties), never the model's label output (see DESIGN.md).
        if (p > values[i * k + best]!) best = c;
      }
      predictions.push({ label: classes[best] ?? String(best), probabilities });
    }
    return predictions;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
