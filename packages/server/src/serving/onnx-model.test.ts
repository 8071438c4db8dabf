import { readFileSync } from 'node:fs';
import type { FeatureRecord, Prediction } from '@modelyard/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardError } from '../errors.js';
import { featureNamesFromMetadata, onnxFeatureSchema, OnnxScorer, readOnnxModel } from './onnx-model.js';

// Fixtures made outside our code by __fixtures__/make_onnx_fixtures.py (scikit-learn + onnx.helper); the JSON holds
// scikit-learn's own predictions for their records.
// Copied out of the Buffer: Buffer#slice shares memory, and a test damages copies.
const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url)));
const reference = (name: string): { records: FeatureRecord[]; expected: Prediction[]; classes?: string[] } =>
  JSON.parse(new TextDecoder().decode(fixture(name)));
const forestBytes = fixture('credit-forest.onnx');
const linearBytes = fixture('churn-linear.onnx');
const TOLERANCE = 1e-5;

/** The ModelyardError a call throws (synchronously or not), or fails the test. */
async function thrown(call: () => unknown): Promise<ModelyardError> {
  try {
    await call();
  } catch (error) {
    expect(error).toBeInstanceOf(ModelyardError);
    return error as ModelyardError;
  }
  throw new Error('expected an error');
}

function expectInvalid(bytes: Uint8Array): ModelyardError {
  let caught: unknown;
  try {
    readOnnxModel(bytes);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ModelyardError);
  const error = caught as ModelyardError;
  expect(error.code).toBe('invalid_onnx');
  expect(error.status).toBe(400);
  expect(error.message).not.toMatch(/\n\s+at /);
  return error;
}

// A small protobuf writer for hand-made models: hostile, odd or ORT-rejected files the fixtures do not cover.
const varint = (value: number): number[] => {
  const out: number[] = [];
  let v = value;
  while (v >= 128) {
    out.push((v % 128) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
};
const int = (field: number, value: number): number[] => [...varint(field * 8), ...varint(value)];
const bytesField = (field: number, payload: number[]): number[] => [
  ...varint(field * 8 + 2),
  ...varint(payload.length),
  ...payload,
];
const str = (field: number, text: string): number[] => bytesField(field, [...new TextEncoder().encode(text)]);
const tensorType = (elem: number, dims: (number | string)[]): number[] =>
  bytesField(1, [
    ...int(1, elem),
    ...bytesField(
      2,
      dims.flatMap((d) => bytesField(1, typeof d === 'number' ? int(1, d) : str(2, d))),
    ),
  ]);
const value = (name: string, type: number[]): number[] => [...str(1, name), ...bytesField(2, type)];
const FLOAT = 1;
const STRING = 8;

interface Parts {
  inputs?: number[][];
  outputs?: number[][];
  nodes?: number[][];
  metadata?: Record<string, string>;
  opset?: boolean;
  irVersion?: number;
}
function model(parts: Parts): Uint8Array {
  const graph = [
    ...(parts.nodes ?? []).flatMap((n) => bytesField(1, n)),
    ...str(2, 'hand_made'),
    ...(parts.inputs ?? []).flatMap((v) => bytesField(11, v)),
    ...(parts.outputs ?? []).flatMap((v) => bytesField(12, v)),
  ];
  return Uint8Array.from([
    ...(parts.irVersion === 0 ? [] : int(1, parts.irVersion ?? 8)),
    ...str(2, 'onnx-model.test.ts'),
    ...bytesField(7, graph),
    ...(parts.opset === false ? [] : bytesField(8, [...str(1, ''), ...int(2, 15)])),
    ...Object.entries(parts.metadata ?? {}).flatMap(([k, v]) => bytesField(14, [...str(1, k), ...str(2, v)])),
  ]);
}
const node = (op: string, inputs: string[], outputs: string[], domain = '', attributes: number[][] = []): number[] => [
  ...inputs.flatMap((i) => str(1, i)),
  ...outputs.flatMap((o) => str(2, o)),
  ...str(4, op),
  ...(domain ? str(7, domain) : []),
  ...attributes.flatMap((a) => bytesField(5, a)),
];
// AttributeProto: name (1), type (20), i (3), s (4), floats (7, fixed32 each), ints (8), strings (9).
const intAttr = (name: string, v: number): number[] => [...str(1, name), ...int(20, 2), ...int(3, v)];
const stringAttr = (name: string, v: string): number[] => [...str(1, name), ...int(20, 3), ...str(4, v)];
const floatsAttr = (name: string, vs: number[]): number[] => [
  ...str(1, name),
  ...int(20, 6),
  ...vs.flatMap((v) => [0x3d, ...new Uint8Array(Float32Array.of(v).buffer)]),
];
/** Ints one field each, or packed into one length-delimited field: protobuf allows both. */
const intsAttr = (name: string, vs: number[], packed = false): number[] => [
  ...str(1, name),
  ...int(20, 7),
  ...(packed ? bytesField(8, vs.flatMap(varint)) : vs.flatMap((v) => int(8, v))),
];
const stringsAttr = (name: string, vs: string[]): number[] => [
  ...str(1, name),
  ...int(20, 8),
  ...vs.flatMap((v) => str(9, v)),
];
const identity = (inputs: number[][], output: number[], metadata?: Record<string, string>): Uint8Array =>
  model({ inputs, outputs: [output], nodes: [node('Identity', ['a'], ['y'])], metadata });

/** Deterministic pseudo-random bytes (xorshift). */
function noise(length: number, seed: number): Uint8Array {
  let s = seed;
  return Uint8Array.from({ length }, () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s & 255;
  });
}

describe('readOnnxModel', () => {
  it('reads the tree-ensemble classifier: one float input [N, 11], label and probabilities tensors', () => {
    const info = readOnnxModel(forestBytes);
    expect(info.irVersion).toBe(8);
    expect(info.producerName).toBe('make_onnx_fixtures.py');
    expect(info.producerVersion).toMatch(/^scikit-learn 1\.\d+\.\d+, onnx 1\.\d+/);
    expect(info.opsetImports).toEqual([
      { domain: '', version: 15 },
      { domain: 'ai.onnx.ml', version: 3 },
    ]);
    expect(info.graphName).toBe('credit_forest');
    expect(info.inputs).toEqual([
      { name: 'float_input', kind: 'tensor', elementType: 'float', shape: ['N', 11], type: 'tensor(float)[N,11]' },
    ]);
    expect(info.outputs).toEqual([
      { name: 'label', kind: 'tensor', elementType: 'string', shape: ['N'], type: 'tensor(string)[N]' },
      { name: 'probabilities', kind: 'tensor', elementType: 'float', shape: ['N', 2], type: 'tensor(float)[N,2]' },
    ]);
    expect(info.metadata).toEqual({
      feature_names: 'reports,age,income,share,expenditure,owner,selfemp,dependents,months,majorcards,active',
      target: 'card',
    });
  });

  it('reads the mixed-type model: one [N, 1] input per column, int64, float, double, bool and string', () => {
    const info = readOnnxModel(linearBytes);
    expect(info.inputs.map((v) => [v.name, v.elementType, v.shape])).toEqual([
      ['tenure', 'int64', ['N', 1]],
      ['senior_citizen', 'float', ['N', 1]],
      ['total_charges', 'double', ['N', 1]],
      ['partner', 'bool', ['N', 1]],
      ['contract', 'string', ['N', 1]],
      ['internet_service', 'string', ['N', 1]],
      ['payment_method', 'string', ['N', 1]],
    ]);
    expect(info.outputs.map((v) => v.type)).toEqual(['tensor(double)[N,1]']);
    expect(info.opsetImports.map((o) => o.domain)).toEqual(['', 'ai.onnx.ml']);
  });

  it('leaves out initializers that old IR versions list among the inputs', () => {
    const bytes = model({
      inputs: [value('a', tensorType(FLOAT, ['N', 1])), value('w', tensorType(FLOAT, [1]))],
      outputs: [value('y', tensorType(FLOAT, ['N', 1]))],
      nodes: [node('Mul', ['a', 'w'], ['y'])],
    });
    // An initializer named w (GraphProto field 5, TensorProto name = field 8) appended as a second graph message,
    // which protobuf merges into the first.
    const merged = Uint8Array.from([...bytes, ...bytesField(7, bytesField(5, str(8, 'w')))]);
    expect(readOnnxModel(merged).inputs.map((v) => v.name)).toEqual(['a']);
  });

  it('describes non-tensor types the way ONNX writes them', () => {
    const zipMap = bytesField(
      4,
      bytesField(1, bytesField(5, [...int(1, STRING), ...bytesField(2, tensorType(FLOAT, []))])),
    );
    const info = readOnnxModel(
      model({ inputs: [value('a', tensorType(FLOAT, ['N', 1]))], outputs: [value('z', zipMap)] }),
    );
    expect(info.outputs[0]).toEqual({ name: 'z', kind: 'sequence', type: 'seq(map(string,tensor(float)[]))' });
  });
});

describe('readOnnxModel refuses what is not an ONNX model', () => {
  it('an empty file', () => {
    expect(expectInvalid(new Uint8Array(0)).message).toMatch(/empty/);
  });

  it('random bytes', () => {
    for (let seed = 1; seed <= 50; seed++) expectInvalid(noise(64 + seed * 37, seed));
  });

  it('the fixtures truncated at several points', () => {
    for (const bytes of [forestBytes, linearBytes]) {
      for (const at of [
        1,
        2,
        5,
        17,
        100,
        Math.floor(bytes.length / 3),
        Math.floor(bytes.length / 2),
        bytes.length - 1,
      ]) {
        expectInvalid(bytes.subarray(0, at));
      }
    }
  });

  it('every prefix of a model either parses or fails as invalid_onnx, never otherwise', () => {
    let parsed = 0;
    for (let at = 0; at < linearBytes.length; at++) {
      try {
        readOnnxModel(linearBytes.subarray(0, at));
        parsed++;
      } catch (error) {
        expect((error as ModelyardError).code).toBe('invalid_onnx');
      }
    }
    // Only cuts at a top-level field boundary after graph and opsets can parse (the metadata is simply shorter).
    expect(parsed).toBeLessThan(3);
  });

  it('flipped bytes fail as invalid_onnx or parse, never crash', () => {
    const flips = noise(600, 99);
    for (let k = 0; k < flips.length; k += 2) {
      const damaged = forestBytes.slice();
      const at = (flips[k]! * 256 + flips[k + 1]!) % forestBytes.length;
      damaged[at] = damaged[at]! ^ 0xff;
      try {
        readOnnxModel(damaged);
      } catch (error) {
        expect((error as ModelyardError).code).toBe('invalid_onnx');
      }
    }
  });

  it('a JSON file (a Modelyard artifact, or any JSON)', () => {
    const artifact = new TextEncoder().encode(JSON.stringify({ formatVersion: 1, model: { kind: 'glm' } }));
    expect(expectInvalid(artifact).message).toMatch(/JSON/);
    expectInvalid(fixture('credit-forest.json'));
  });

  it('valid protobuf that is not a model', () => {
    // A TensorProto: dims 3 (field 1), data_type FLOAT (field 2), packed float_data (field 4).
    const tensor = Uint8Array.from([...int(1, 3), ...int(2, 1), ...bytesField(4, new Array<number>(12).fill(0))]);
    expect(expectInvalid(tensor).message).toMatch(/field 2 is varint/);
    // A lone OperatorSetIdProto-like message: ir_version only.
    expect(expectInvalid(Uint8Array.from(int(1, 8))).message).toMatch(/imports no operator set/);
    expect(expectInvalid(model({ opset: true, irVersion: 0 })).message).toMatch(/no ir_version/);
    expect(expectInvalid(Uint8Array.from([...int(1, 8), ...bytesField(8, int(2, 15))])).message).toMatch(/no graph/);
    expect(expectInvalid(model({ outputs: [value('y', tensorType(FLOAT, [1]))] })).message).toMatch(/no inputs/);
    expect(expectInvalid(model({ inputs: [value('a', tensorType(FLOAT, [1]))] })).message).toMatch(/no outputs/);
    expect(expectInvalid(model({ inputs: [str(1, 'a')], outputs: [str(1, 'y')] })).message).toMatch(/has no type/);
  });

  it('hostile lengths, numbers and nesting', () => {
    // Graph field declaring 4 GB.
    expect(expectInvalid(Uint8Array.from([...int(1, 8), 0x3a, 0xff, 0xff, 0xff, 0xff, 0x0f])).message).toMatch(
      /declares 4294967295 bytes but only 0 remain/,
    );
    // An 11-byte varint.
    expect(expectInvalid(Uint8Array.from([0x08, ...new Array<number>(10).fill(0x80), 0x01])).message).toMatch(
      /longer than 10 bytes/,
    );
    // A group (wire type 3), which ONNX never uses.
    expect(expectInvalid(Uint8Array.from([...int(1, 8), 0x7b, 0x00])).message).toMatch(/group start/);
    // Types nested 200 deep: seq(seq(seq(…))).
    let type = tensorType(FLOAT, [1]);
    for (let depth = 0; depth < 200; depth++) type = bytesField(4, bytesField(1, type));
    const deep = model({ inputs: [value('a', type)], outputs: [value('y', tensorType(FLOAT, [1]))] });
    expect(expectInvalid(deep).message).toMatch(/nest deeper than 32/);
    // Invalid UTF-8 in a name.
    const badName = model({ inputs: [[...bytesField(1, [0xff, 0xfe]), ...bytesField(2, tensorType(FLOAT, [1]))]] });
    expect(expectInvalid(badName).message).toMatch(/not valid UTF-8/);
  });
});

describe('onnxFeatureSchema', () => {
  it('names the columns of one [N, F] input from sklearn-style feature_names', () => {
    const schema = onnxFeatureSchema(readOnnxModel(forestBytes));
    expect(schema.features.map((f) => f.name)).toEqual([
      'reports',
      'age',
      'income',
      'share',
      'expenditure',
      'owner',
      'selfemp',
      'dependents',
      'months',
      'majorcards',
      'active',
    ]);
    expect(schema.features.every((f) => f.type === 'number')).toBe(true);
    expect(schema.bindings).toEqual([
      expect.objectContaining({ input: 'float_input', tensorType: 'float32', rank: 2, batch: undefined }),
    ]);
  });

  it('makes one feature per column input: strings are categories without a list, the rest numbers', () => {
    const schema = onnxFeatureSchema(readOnnxModel(linearBytes));
    expect(schema.features).toEqual([
      { name: 'tenure', type: 'number' },
      { name: 'senior_citizen', type: 'number' },
      { name: 'total_charges', type: 'number' },
      { name: 'partner', type: 'number' },
      { name: 'contract', type: 'category', categories: [] },
      { name: 'internet_service', type: 'category', categories: [] },
      { name: 'payment_method', type: 'category', categories: [] },
    ]);
  });

  it('names [N, F] columns x0.. without metadata, or by modelyard.features', () => {
    const input = [value('a', tensorType(FLOAT, ['batch', 3]))];
    const output = value('y', tensorType(FLOAT, ['batch', 3]));
    const plain = onnxFeatureSchema(readOnnxModel(identity(input, output)));
    expect(plain.features.map((f) => f.name)).toEqual(['x0', 'x1', 'x2']);
    const named = identity(input, output, { 'modelyard.features': '["p","q","r"]' });
    expect(onnxFeatureSchema(readOnnxModel(named)).features.map((f) => f.name)).toEqual(['p', 'q', 'r']);
    // A list of the wrong length is ignored.
    const wrong = identity(input, output, { feature_names: 'p,q' });
    expect(onnxFeatureSchema(readOnnxModel(wrong)).features.map((f) => f.name)).toEqual(['x0', 'x1', 'x2']);
    expect(featureNamesFromMetadata({ feature_names: '["a", "b"]' })).toEqual(['a', 'b']);
    expect(featureNamesFromMetadata({ feature_names: ' a, b ' })).toEqual(['a', 'b']);
    expect(featureNamesFromMetadata({})).toBeUndefined();
  });

  it('refuses inputs that are not tabular as unsupported_onnx', async () => {
    const image = identity([value('a', tensorType(FLOAT, ['N', 3, 32, 32]))], value('y', tensorType(FLOAT, ['N'])));
    const error = await thrown(() => onnxFeatureSchema(readOnnxModel(image)));
    expect(error.code).toBe('unsupported_onnx');
    expect(error.message).toMatch(/\[N,3,32,32\]/);
    const open = identity([value('a', tensorType(FLOAT, ['N', 'F']))], value('y', tensorType(FLOAT, ['N'])));
    expect((await thrown(() => onnxFeatureSchema(readOnnxModel(open)))).code).toBe('unsupported_onnx');
  });
});

describe('OnnxScorer', () => {
  let forest: OnnxScorer;
  let linear: OnnxScorer;
  beforeAll(async () => {
    forest = await OnnxScorer.load(forestBytes);
    linear = await OnnxScorer.load(linearBytes);
  });
  afterAll(async () => {
    await forest.release();
    await linear.release();
  });

  it("scores the forest's records as scikit-learn's predict_proba and predict", async () => {
    const { records, expected, classes } = reference('credit-forest.json');
    expect(forest.task).toBe('classification');
    expect(forest.classes).toEqual(classes);
    expect(forest.validate(records)).toEqual([]);
    const predictions = await forest.score(records);
    expect(predictions).toHaveLength(200);
    predictions.forEach((prediction, i) => {
      const want = expected[i] as { label: string; probabilities: Record<string, number> };
      const got = prediction as { label: string; probabilities: Record<string, number> };
      expect(got.label).toBe(want.label);
      expect(Object.keys(got.probabilities)).toEqual(['no', 'yes']);
      for (const c of ['no', 'yes'])
        expect(Math.abs(got.probabilities[c]! - want.probabilities[c]!)).toBeLessThan(TOLERANCE);
    });
    // Both classes occur, so argmax is exercised both ways.
    expect(new Set(predictions.map((p) => (p as { label: string }).label))).toEqual(new Set(['no', 'yes']));
  });

  it("scores the mixed-type records as scikit-learn's LinearRegression, unseen categories included", async () => {
    const { records, expected } = reference('churn-linear.json');
    expect(linear.task).toBe('regression');
    expect(linear.validate(records)).toEqual([]);
    const predictions = await linear.score(records);
    predictions.forEach((prediction, i) => {
      expect(Math.abs((prediction as { value: number }).value - (expected[i] as { value: number }).value)).toBeLessThan(
        TOLERANCE,
      );
    });
  });

  it('scores a batch as the same records one at a time, and no records as none', async () => {
    const { records } = reference('credit-forest.json');
    const batch = await forest.score(records.slice(0, 5));
    const single = await Promise.all(records.slice(0, 5).map(async (r) => (await forest.score([r]))[0]));
    expect(single).toEqual(batch);
    expect(await forest.score([])).toEqual([]);
  });

  it('accepts numeric strings, null as a missing number and the target column', async () => {
    const record = { ...reference('credit-forest.json').records[0]!, income: '3.5', age: null, card: 'yes' };
    expect(forest.validate([record])).toEqual([]);
    const [prediction] = (await forest.score([record])) as { probabilities: Record<string, number> }[];
    expect(prediction!.probabilities['no']! + prediction!.probabilities['yes']!).toBeCloseTo(1, 5);
  });

  it('scores a missing category as the encoder scores an unseen one', async () => {
    const { records, expected } = reference('churn-linear.json');
    // Record 0's contract is 'Three year', which the encoder never saw.
    const [prediction] = (await linear.score([{ ...records[0]!, contract: null }])) as { value: number }[];
    expect(Math.abs(prediction!.value - (expected[0] as { value: number }).value)).toBeLessThan(TOLERANCE);
  });

  it('runs a model whose batch dimension is fixed to 1 once per record', async () => {
    const scorer = await OnnxScorer.load(
      identity([value('a', tensorType(FLOAT, [1, 1]))], value('y', tensorType(FLOAT, [1, 1]))),
    );
    expect(await scorer.score([{ a: 1 }, { a: 2 }, { a: 3 }])).toEqual([{ value: 1 }, { value: 2 }, { value: 3 }]);
    await scorer.release();
  });

  it('refuses a declared width too large to serve before allocating anything', async () => {
    const huge = identity([value('a', tensorType(FLOAT, ['N', 1e9]))], value('y', tensorType(FLOAT, ['N'])));
    const error = await thrown(() => OnnxScorer.load(huge));
    expect(error.code).toBe('unsupported_onnx');
    expect(error.message).toMatch(/1000000000 columns/);
  });

  it('lists missing, unexpected and wrong-typed fields', () => {
    const [good] = reference('churn-linear.json').records;
    const records: unknown[] = [
      { ...good, tenure: 2.5, partner: 'maybe', contract: true, total_charges: 'lots', surprise: 1 },
      { ...good, tenure: null, senior_citizen: Infinity },
      (({ payment_method: _, ...rest }) => rest)(good!),
      'not a record',
      new Date(0),
      { ...good, partner: 'true', tenure: '12', contract: 2 },
    ];
    expect(linear.validate(records)).toEqual([
      { row: 0, field: 'tenure', problem: 'wrong_type', expected: 'number' },
      { row: 0, field: 'total_charges', problem: 'wrong_type', expected: 'number' },
      { row: 0, field: 'partner', problem: 'wrong_type', expected: 'number' },
      { row: 0, field: 'contract', problem: 'wrong_type', expected: 'string' },
      { row: 0, field: 'surprise', problem: 'unexpected' },
      { row: 1, field: 'tenure', problem: 'wrong_type', expected: 'number' },
      { row: 1, field: 'senior_citizen', problem: 'wrong_type', expected: 'number' },
      { row: 2, field: 'payment_method', problem: 'missing' },
      { row: 3, field: '', problem: 'wrong_type' },
      { row: 4, field: '', problem: 'wrong_type' },
    ]);
  });

  it('refuses to score invalid records with invalid_records and the issues', async () => {
    const error = await thrown(() => forest.score([{ age: 'old' }]));
    expect(error.code).toBe('invalid_records');
    expect(error.details?.['issues']).toContainEqual({
      row: 0,
      field: 'age',
      problem: 'wrong_type',
      expected: 'number',
    });
  });

  it('feeds a missing number as NaN', async () => {
    const scorer = await OnnxScorer.load(
      identity([value('a', tensorType(FLOAT, ['N', 1]))], value('y', tensorType(FLOAT, ['N', 1]))),
    );
    expect(scorer.task).toBe('regression');
    const values = (await scorer.score([{ a: 1.5 }, { a: null }, { a: '' }])).map(
      (p) => (p as { value: number }).value,
    );
    expect(values).toEqual([1.5, Number.NaN, Number.NaN]);
    await scorer.release();
  });

  it('names classes 0..k-1 when neither the graph nor the metadata does, or by modelyard.classes', async () => {
    const inputs = [value('a', tensorType(FLOAT, ['N', 2]))];
    const parts = {
      inputs,
      outputs: [value('y', tensorType(FLOAT, ['N', 2])), value('label', tensorType(7, ['N', 1]))],
      nodes: [node('Identity', ['a'], ['y']), node('ArgMax', ['a'], ['label'], '', [intAttr('axis', 1)])],
    };
    const plain = await OnnxScorer.load(model(parts));
    expect(await plain.score([{ x0: 0.25, x1: 0.75 }])).toEqual([
      { label: '1', probabilities: { '0': 0.25, '1': 0.75 } },
    ]);
    await plain.release();
    const named = await OnnxScorer.load(model({ ...parts, metadata: { 'modelyard.classes': '["cat","dog"]' } }));
    expect(named.classes).toEqual(['cat', 'dog']);
    expect(await named.score([{ x0: 0.6, x1: 0.4 }])).toEqual([
      { label: 'cat', probabilities: { cat: expect.closeTo(0.6, 6), dog: expect.closeTo(0.4, 6) } },
    ]);
    await named.release();
  });

  it("takes integer class labels from the classifier's classlabels_int64s, packed or not", async () => {
    for (const packed of [false, true]) {
      // One tree of one leaf with weights 0.3 and 0.7 for classes 3 and 7.
      const forestNode = node('TreeEnsembleClassifier', ['a'], ['label', 'probabilities'], 'ai.onnx.ml', [
        intsAttr('classlabels_int64s', [3, 7], packed),
        intsAttr('nodes_treeids', [0], packed),
        intsAttr('nodes_nodeids', [0], packed),
        intsAttr('nodes_featureids', [0], packed),
        stringsAttr('nodes_modes', ['LEAF']),
        floatsAttr('nodes_values', [0]),
        intsAttr('nodes_truenodeids', [0], packed),
        intsAttr('nodes_falsenodeids', [0], packed),
        intsAttr('class_treeids', [0, 0], packed),
        intsAttr('class_nodeids', [0, 0], packed),
        intsAttr('class_ids', [0, 1], packed),
        floatsAttr('class_weights', [0.3, 0.7]),
        stringAttr('post_transform', 'NONE'),
      ]);
      const bytes = model({
        inputs: [value('a', tensorType(FLOAT, ['N', 1]))],
        outputs: [value('label', tensorType(7, ['N'])), value('probabilities', tensorType(FLOAT, ['N', 2]))],
        nodes: [forestNode],
      });
      const scorer = await OnnxScorer.load(
        Uint8Array.from([...bytes, ...bytesField(8, [...str(1, 'ai.onnx.ml'), ...int(2, 3)])]),
      );
      expect(scorer.classes).toEqual(['3', '7']);
      expect(await scorer.score([{ a: 1 }])).toEqual([
        { label: '7', probabilities: { '3': expect.closeTo(0.3, 6), '7': expect.closeTo(0.7, 6) } },
      ]);
      await scorer.release();
    }
  });

  it('turns onnxruntime load errors into invalid_onnx with its message', async () => {
    const broken = model({
      inputs: [value('a', tensorType(FLOAT, ['N', 1]))],
      outputs: [value('y', tensorType(FLOAT, ['N', 1]))],
      nodes: [node('NoSuchOperator', ['a'], ['y'])],
    });
    const error = await thrown(() => OnnxScorer.load(broken));
    expect(error.code).toBe('invalid_onnx');
    expect(error.message).toMatch(/^onnxruntime cannot load the model: .*NoSuchOperator/);
  });

  it("scores skl2onnx's default ZipMap output through the ZipMap's input tensor", async () => {
    const bytes = fixture('credit-forest-zipmap.onnx');
    const info = readOnnxModel(bytes);
    expect(info.outputs.map((o) => o.type)).toEqual(['tensor(string)[N]', 'seq(map(string,tensor(float)))']);
    const scorer = await OnnxScorer.load(bytes);
    expect(scorer.classes).toEqual(['no', 'yes']);
    // No feature names in this file's metadata: the columns are x0..x10, in the same order.
    const { records, expected } = reference('credit-forest.json');
    const renamed = records.map((r) => Object.fromEntries(Object.values(r).map((v, j) => [`x${j}`, v])));
    const predictions = await scorer.score(renamed);
    predictions.forEach((prediction, i) => {
      const want = expected[i] as { label: string; probabilities: Record<string, number> };
      const got = prediction as { label: string; probabilities: Record<string, number> };
      expect(got.label).toBe(want.label);
      for (const c of ['no', 'yes']) {
        expect(Math.abs(got.probabilities[c]! - want.probabilities[c]!)).toBeLessThan(TOLERANCE);
      }
    });
    await scorer.release();
  });

  it('refuses a sequence-of-maps output that no ZipMap node makes', async () => {
    const zipMap = bytesField(
      4,
      bytesField(1, bytesField(5, [...int(1, STRING), ...bytesField(2, tensorType(FLOAT, []))])),
    );
    const bytes = model({
      inputs: [value('a', tensorType(FLOAT, ['N', 2]))],
      outputs: [value('label', tensorType(STRING, ['N'])), value('output_probability', zipMap)],
      nodes: [node('SomethingElse', ['a'], ['output_probability'], 'ai.onnx.ml')],
    });
    const error = await thrown(() => OnnxScorer.load(bytes));
    expect(error.code).toBe('unsupported_onnx');
    expect(error.message).toMatch(/no ZipMap node produces it.*zipmap/);
  });
});
