// Checking feedback labels against the logged requests they name.

import { describe, expect, it } from 'vitest';
import type { LoggedRequestShape } from '../store/metadata-store.js';
import { checkFeedback } from './feedback.js';

const shapes = new Map<string, LoggedRequestShape>([
  ['inf_c', { records: 2, first: { label: '1', probabilities: { '0': 0.4, '1': 0.6 } } }],
  ['inf_b', { records: 1, first: { label: 'true', probabilities: { false: 0.4, true: 0.6 } } }],
  ['inf_r', { records: 3, first: { value: 2.5 } }],
]);

describe('checkFeedback', () => {
  it('accepts classes (numbers and booleans as they print) and finite numbers for regression', () => {
    const { accepted, reply } = checkFeedback(
      [
        { requestId: 'inf_c', label: '0' },
        { requestId: 'inf_c', index: 1, label: 1 },
        { requestId: 'inf_b', label: true },
        { requestId: 'inf_r', index: 2, label: -3.5 },
      ],
      shapes,
    );
    expect(accepted).toEqual([
      { requestId: 'inf_c', index: 0, label: '0' },
      { requestId: 'inf_c', index: 1, label: '1' },
      { requestId: 'inf_b', index: 0, label: 'true' },
      { requestId: 'inf_r', index: 2, label: -3.5 },
    ]);
    expect(reply).toEqual({ accepted: 4, unknown: [], invalid: [] });
  });

  it('reports unknown requests and records, and labels of the wrong type, by position', () => {
    const { accepted, reply } = checkFeedback(
      [
        { requestId: 'inf_missing', label: '1' },
        { requestId: 'inf_c', index: 2, label: '1' },
        { requestId: 'inf_c', label: 'maybe' },
        { requestId: 'inf_c', label: null },
        { requestId: 'inf_c', label: 1.5 },
        { requestId: 'inf_r', label: '2.5' },
        { requestId: 'inf_r', label: true },
        { requestId: 'inf_r', index: 1, label: 4 },
      ],
      shapes,
    );
    expect(accepted).toEqual([{ requestId: 'inf_r', index: 1, label: 4 }]);
    expect(reply.accepted).toBe(1);
    expect(reply.unknown).toEqual([
      { requestId: 'inf_missing', index: 0 },
      { requestId: 'inf_c', index: 2 },
    ]);
    expect(reply.invalid.map((i) => [i.position, i.code])).toEqual([
      [2, 'label_not_a_class'],
      [3, 'label_not_a_class'],
      [4, 'label_not_a_class'],
      [5, 'label_not_a_number'],
      [6, 'label_not_a_number'],
    ]);
    expect(reply.invalid[0]?.message).toBe(`Label "maybe" is not one of the model's classes ('0', '1').`);
  });
});
