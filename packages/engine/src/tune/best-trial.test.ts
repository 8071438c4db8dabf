import { describe, expect, it } from 'vitest';
import { bestTrial } from './best-trial.js';
import type { TrialRecord } from './trial-record.js';

const history: TrialRecord[] = [
  { number: 0, params: {}, state: 'complete', value: 3 },
  { number: 1, params: {}, state: 'pruned', value: -10 },
  { number: 2, params: {}, state: 'complete', value: 1 },
  { number: 3, params: {}, state: 'failed' },
  { number: 4, params: {}, state: 'complete', value: NaN },
  { number: 5, params: {}, state: 'complete', value: 1 },
  { number: 6, params: {}, state: 'running' },
  { number: 7, params: {}, state: 'complete', value: 5 },
];

describe('bestTrial', () => {
  it('takes the best complete finite value, the lowest number on ties', () => {
    expect(bestTrial(history, 'minimize')?.number).toBe(2);
    expect(bestTrial([...history].reverse(), 'minimize')?.number).toBe(2);
    expect(bestTrial(history, 'maximize')?.number).toBe(7);
  });

  it('is undefined without a complete trial', () => {
    expect(
      bestTrial(
        history.filter((t) => t.state !== 'complete'),
        'minimize',
      ),
    ).toBeUndefined();
  });
});
