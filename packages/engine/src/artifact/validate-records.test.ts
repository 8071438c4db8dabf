import { describe, it, expect } from 'vitest';
import { EngineError } from '../errors.js';
import { trainGlmModel } from '../glm/train-glm-model.js';
import { syntheticClassification } from '../test-support/synthetic.js';
import { Frame } from '../frame/frame.js';
import { predictFrame } from './predict-frame.js';
import { predictRecords } from './predict-records.js';
import { validateRecords } from './validate-records.js';
import { linearModel } from '../test-support/linear-glm.js';

const { artifact } = trainGlmModel(syntheticClassification(), { target: 'y', task: 'classification' });
const good = { x1: 1, x2: 2, color: 'red', k: 3 };

describe('validateRecords', () => {
  it('accepts complete records, nulls, numeric strings and the target', () => {
    expect(
      validateRecords(artifact, [
        good,
        { x1: null, x2: null, color: null, k: null },
        { x1: '1.5', x2: ' 2 ', color: 'red', k: 3, y: 'yes' },
        { x1: '', x2: 2, color: 7, k: 3 },
      ]),
    ).toEqual([]);
  });

  it('reports missing, unexpected and wrong_type fields with the row', () => {
    expect(
      validateRecords(artifact, [
        good,
        { x1: 1, color: 'red', k: 3, extra: 1 },
        { x1: 'abc', x2: true, color: { a: 1 }, k: [3] },
      ]),
    ).toEqual([
      { row: 1, field: 'x2', problem: 'missing' },
      { row: 1, field: 'extra', problem: 'unexpected' },
      { row: 2, field: 'x1', problem: 'wrong_type', expected: 'number' },
      { row: 2, field: 'x2', problem: 'wrong_type', expected: 'number' },
      { row: 2, field: 'color', problem: 'wrong_type', expected: 'string' },
      { row: 2, field: 'k', problem: 'wrong_type', expected: 'number' },
    ]);
  });

  it('refuses a boolean for a category that no category spells, rather than scoring it as missing', () => {
    expect(validateRecords(artifact, [{ ...good, color: true }])).toEqual([
      { row: 0, field: 'color', problem: 'wrong_type', expected: 'string' },
    ]);
  });

  it('rejects records that are not plain objects', () => {
    expect(validateRecords(artifact, [null, [1], 'x', good])).toEqual([
      { row: 0, field: '', problem: 'wrong_type' },
      { row: 1, field: '', problem: 'wrong_type' },
      { row: 2, field: '', problem: 'wrong_type' },
    ]);
  });

  it('makes predictRecords throw invalid_records with the issues', () => {
    try {
      predictRecords(artifact, [good, { x1: 1 }]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EngineError);
      const e = error as EngineError;
      expect(e.code).toBe('invalid_records');
      expect(e.details?.issues).toEqual([
        { row: 1, field: 'x2', problem: 'missing' },
        { row: 1, field: 'color', problem: 'missing' },
        { row: 1, field: 'k', problem: 'missing' },
      ]);
    }
  });
});

describe('boolean spellings', () => {
  // Records is "yes"/"no" in training; a client (or a CSV reader) may send booleans or 0/1 instead.
  const n = 200;
  const frame = Frame.fromColumns([
    { kind: 'number', name: 'x', values: Float64Array.from({ length: n }, (_, i) => (i * 7) % 11) },
    {
      kind: 'category',
      name: 'Records',
      codes: Int32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0)),
      dictionary: ['no', 'yes'],
    },
    {
      kind: 'category',
      name: 'flag',
      codes: Int32Array.from({ length: n }, (_, i) => (i % 3 === 0 || i % 5 === 0 ? 1 : 0)),
      dictionary: ['false', 'true'],
    },
    {
      kind: 'category',
      name: 'y',
      codes: Int32Array.from({ length: n }, (_, i) => (i % 3 === 0 || (i * 7) % 11 > 6 ? 1 : 0)),
      dictionary: ['a', 'b'],
    },
  ]);
  const model = trainGlmModel(frame, { target: 'y', task: 'classification' }).artifact;
  const score = (records: Record<string, string | number | boolean | null>[]) => predictRecords(model, records);

  it('scores false, 0, "No" and "false" like "no", and true like "yes"', () => {
    const base = { x: 3, flag: 'true' };
    const [no, ...others] = score([
      { ...base, Records: 'no' },
      { ...base, Records: false },
      { ...base, Records: 0 },
      { ...base, Records: 'No' },
      { ...base, Records: 'false' },
    ]);
    for (const other of others) expect(other).toEqual(no);
    const [yes, yesBool] = score([
      { ...base, Records: 'yes' },
      { ...base, Records: true },
    ]);
    expect(yesBool).toEqual(yes);
    expect(yes).not.toEqual(no);
  });

  it('maps yes/no onto a true/false category the same way', () => {
    const [a, b, c] = score([
      { x: 3, Records: 'no', flag: 'true' },
      { x: 3, Records: 'no', flag: 'yes' },
      { x: 3, Records: 'no', flag: true },
    ]);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it('maps boolean spellings in frames too', () => {
    const records = Frame.fromColumns([
      { kind: 'number', name: 'x', values: Float64Array.from([3, 3]) },
      { kind: 'category', name: 'Records', codes: Int32Array.from([0, 1]), dictionary: ['false', 'no'] },
      { kind: 'number', name: 'flag', values: Float64Array.from([1, 1]) },
    ]);
    const [a, b] = predictFrame(model, records);
    expect(a).toBe(b);
  });
});

describe('predictRecords', () => {
  it('returns probabilities over the classes summing to 1 and the argmax label', () => {
    const [prediction] = predictRecords(artifact, [good]);
    if (prediction === undefined || !('label' in prediction)) throw new Error('expected a label');
    expect(Object.keys(prediction.probabilities)).toEqual(['no', 'yes']);
    expect(prediction.probabilities.no! + prediction.probabilities.yes!).toBeCloseTo(1, 15);
    expect(prediction.label).toBe(prediction.probabilities.yes! > 0.5 ? 'yes' : 'no');
  });

  it('breaks a 0.5 tie towards the first class', () => {
    const tie = {
      ...artifact,
      model: { ...linearModel(artifact), intercept: 0, coefficients: linearModel(artifact).coefficients.map(() => 0) },
    };
    const [prediction] = predictRecords(tie, [good]);
    expect(prediction).toEqual({ label: 'no', probabilities: { no: 0.5, yes: 0.5 } });
  });

  it('scores numbers given as strings like the numbers themselves', () => {
    const [a, b] = predictRecords(artifact, [good, { x1: '1', x2: '2', color: 'red', k: '3' }]);
    expect(a).toEqual(b);
  });
});
