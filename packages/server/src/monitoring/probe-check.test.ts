import { describe, expect, it } from 'vitest';
import type { Probe } from '@modelyard/client';
import { ModelyardError } from '../errors.js';
import { checkProbe, checkProbeSet, expectationFailures } from './probe-check.js';

const cls = (label: string, probabilities: Record<string, number>) => ({ label, probabilities });

describe('expectationFailures', () => {
  it('checks a label and a class probability range', () => {
    const p = cls('good', { good: 0.8, bad: 0.2 });
    expect(expectationFailures({ label: 'good' }, p)).toEqual([]);
    expect(expectationFailures({ label: 'bad' }, p)).toEqual(["label is 'good', expected 'bad'"]);
    expect(expectationFailures({ probability: { class: 'good', min: 0.7 } }, p)).toEqual([]);
    expect(expectationFailures({ probability: { class: 'good', max: 0.5 } }, p)).toEqual(['P(good) 0.8 is above 0.5']);
    expect(expectationFailures({ probability: { class: 'bad', min: 0.3, max: 1 } }, p)).toEqual([
      'P(bad) 0.2 is below 0.3',
    ]);
    expect(expectationFailures({ probability: { class: 'ugly', min: 0 } }, p)).toEqual([
      "the model has no class 'ugly'",
    ]);
    // Both bounds are inclusive.
    expect(expectationFailures({ probability: { class: 'good', min: 0.8, max: 0.8 } }, p)).toEqual([]);
  });

  it('checks a value with a tolerance and a range', () => {
    expect(expectationFailures({ value: 10, tolerance: 0.5 }, { value: 10.4 })).toEqual([]);
    expect(expectationFailures({ value: 10, tolerance: 0.5 }, { value: 10.6 })).toEqual([
      'value 10.6 is 0.6 from 10 (tolerance 0.5)',
    ]);
    expect(expectationFailures({ value: 3 }, { value: 3 })).toEqual([]);
    expect(expectationFailures({ value: 3 }, { value: 3.000001 })).toHaveLength(1);
    expect(expectationFailures({ min: 0, max: 100 }, { value: 100 })).toEqual([]);
    expect(expectationFailures({ min: 0, max: 100 }, { value: -1 })).toEqual(['value -1 is below 0']);
    expect(expectationFailures({ max: 1 }, { value: Number.NaN })).toEqual(['value NaN is above 1']);
  });

  it('reports every miss, and a kind mismatch between expectation and model', () => {
    expect(expectationFailures({ label: 'a', value: 1 }, cls('b', { a: 0.1, b: 0.9 }))).toEqual([
      "label is 'b', expected 'a'",
      'expected a value but the model predicts a class',
    ]);
    expect(expectationFailures({ label: 'a' }, { value: 1 })).toEqual([
      "expected label 'a' but the model predicts a value",
    ]);
  });
});

describe('checkProbe', () => {
  it('passes with what it met, fails with every reason', () => {
    const probe: Probe = {
      name: 'p',
      record: { x: 1 },
      expect: { label: 'good', probability: { class: 'good', min: 0.6 } },
    };
    expect(checkProbe(probe, cls('good', { good: 0.9, bad: 0.1 }))).toEqual({
      name: 'p',
      passed: true,
      actual: cls('good', { good: 0.9, bad: 0.1 }),
      reason: "Met label 'good', P(good) in [0.6, 1].",
    });
    const failed = checkProbe(probe, cls('bad', { good: 0.3, bad: 0.7 }));
    expect(failed.passed).toBe(false);
    expect(failed.reason).toBe("label is 'bad', expected 'good'; P(good) 0.3 is below 0.6");
  });
});

describe('checkProbeSet', () => {
  const problem = (probes: Probe[]) => {
    try {
      checkProbeSet(probes);
      return null;
    } catch (error) {
      expect(error).toBeInstanceOf(ModelyardError);
      const e = error as ModelyardError;
      expect([e.status, e.code]).toEqual([400, 'invalid_probe']);
      return e.details?.problem;
    }
  };
  const probe = (expect: Probe['expect'], name = 'a'): Probe => ({ name, record: { x: 1 }, expect });

  it('accepts well-formed sets', () => {
    expect(
      problem([probe({ label: 'y' }), probe({ min: 0, max: 1 }, 'b'), probe({ value: 1, tolerance: 0 }, 'c')]),
    ).toBe(null);
  });

  it('refuses each malformed probe with its own problem', () => {
    expect(problem([])).toBe('no_probes');
    expect(problem([probe({ label: 'y' }), probe({ label: 'n' })])).toBe('duplicate_name');
    expect(problem([probe({})])).toBe('no_expectation');
    expect(problem([{ name: 'a', record: {}, expect: { label: 'y' } }])).toBe('empty_record');
    expect(problem([probe({ tolerance: 1, min: 0 })])).toBe('tolerance_without_value');
    expect(problem([probe({ min: 2, max: 1 })])).toBe('empty_range');
    expect(problem([probe({ probability: { class: 'y' } })])).toBe('probability_without_bounds');
    expect(problem([probe({ probability: { class: 'y', min: 1.5 } })])).toBe('probability_out_of_range');
    expect(problem([probe({ probability: { class: 'y', min: 0.9, max: 0.1 } })])).toBe('empty_range');
  });
});
