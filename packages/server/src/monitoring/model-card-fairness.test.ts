import { describe, expect, it } from 'vitest';
import { fairnessSlicesOf } from './model-card.js';

describe('fairness slices on the model card', () => {
  it('names each group by its columns, keeps numeric metrics, and adds the disparity per table', () => {
    const stored = {
      tables: [
        {
          columns: ['Marital'],
          groups: [
            { values: ['married'], count: 120, selectionRate: 0.75, auc: null, small: false },
            { values: ['single'], count: 40, selectionRate: 0.6, auc: 0.8, small: false },
          ],
          disparity: { groups: 2, demographicParityRatio: 0.8, equalOpportunityRatio: null },
        },
        {
          columns: ['Marital', 'Home'],
          groups: [{ values: ['married', 'rent'], count: 10, selectionRate: 0.5, small: true }],
          disparity: { groups: 0, demographicParityRatio: null },
        },
      ],
    };
    expect(fairnessSlicesOf(stored)).toEqual([
      { name: 'Marital=married', metrics: { count: 120, selectionRate: 0.75 } },
      { name: 'Marital=single', metrics: { count: 40, selectionRate: 0.6, auc: 0.8 } },
      { name: 'disparity: Marital', metrics: { groups: 2, demographicParityRatio: 0.8 } },
      { name: 'Marital=married, Home=rent', metrics: { count: 10, selectionRate: 0.5 } },
      { name: 'disparity: Marital × Home', metrics: { groups: 0 } },
    ]);
  });

  it('ignores what is not a stored fairness result', () => {
    expect(fairnessSlicesOf(undefined)).toEqual([]);
    expect(fairnessSlicesOf({ tables: 'no' })).toEqual([]);
    expect(fairnessSlicesOf({ tables: [{ columns: ['a'] }] })).toEqual([]);
  });
});
