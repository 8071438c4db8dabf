import { describe, expect, it } from 'vitest';
import { createPruner, medianPruner, percentilePruner, successiveHalvingPruner } from './pruners.js';
import type { TrialRecord } from './trial-record.js';

function trial(
  number: number,
  state: TrialRecord['state'],
  values: (number | undefined)[],
  value?: number,
): TrialRecord {
  const intermediate = values.flatMap((v, step) => (v === undefined ? [] : [{ step, value: v }]));
  return { number, params: {}, state, intermediate, ...(value === undefined ? {} : { value }) };
}

// Five complete trials reporting steps 0..3. Values at step 1: 8, 7, 11, 6, 9 → median 8; at step 2: 6, 5, 10, 4, 7 → 6.
const complete = [
  trial(0, 'complete', [10, 8, 6, 4], 4),
  trial(1, 'complete', [9, 7, 5, 3], 3),
  trial(2, 'complete', [12, 11, 10, 9], 9),
  trial(3, 'complete', [8, 6, 4, 2], 2),
  trial(4, 'complete', [11, 9, 7, 5], 5),
];

describe('medianPruner', () => {
  const pruner = medianPruner();

  it('prunes when the best value so far is worse than the median at the same step', () => {
    expect(pruner.shouldPrune(trial(9, 'running', [9, 8.5]), 1, complete, 'minimize')).toBe(true);
    expect(pruner.shouldPrune(trial(9, 'running', [9, 7.5]), 1, complete, 'minimize')).toBe(false);
    // Equal to the median is not worse.
    expect(pruner.shouldPrune(trial(9, 'running', [9, 8]), 1, complete, 'minimize')).toBe(false);
    // Optuna compares the best value over the steps so far: 7 at step 0 beats the median 8 at step 1.
    expect(pruner.shouldPrune(trial(9, 'running', [7, 8.5]), 1, complete, 'minimize')).toBe(false);
  });

  it('mirrors for maximisation', () => {
    expect(pruner.shouldPrune(trial(9, 'running', [1, 7.5]), 1, complete, 'maximize')).toBe(true);
    expect(pruner.shouldPrune(trial(9, 'running', [1, 8.5]), 1, complete, 'maximize')).toBe(false);
  });

  it('never prunes with fewer than n_startup_trials complete trials', () => {
    const awful = trial(9, 'running', [100, 100]);
    expect(pruner.shouldPrune(awful, 1, complete.slice(0, 4), 'minimize')).toBe(false);
    // Running and pruned trials do not count as complete.
    const others = [...complete.slice(0, 4), trial(5, 'running', [1, 1]), trial(6, 'pruned', [1, 1])];
    expect(pruner.shouldPrune(awful, 1, others, 'minimize')).toBe(false);
    expect(pruner.shouldPrune(awful, 1, complete, 'minimize')).toBe(true);
    expect(medianPruner({ nStartupTrials: 4 }).shouldPrune(awful, 1, complete.slice(0, 4), 'minimize')).toBe(true);
  });

  it('uses only complete trials for the median', () => {
    // A running trial reporting 0 at step 1 would move the median to 7.5 if it counted.
    const history = [...complete, trial(7, 'running', [0, 0])];
    expect(pruner.shouldPrune(trial(9, 'running', [9, 7.9]), 1, history, 'minimize')).toBe(false);
  });

  it('does not prune during the warmup steps', () => {
    const warm = medianPruner({ nWarmupSteps: 2 });
    expect(warm.shouldPrune(trial(9, 'running', [20, 20]), 1, complete, 'minimize')).toBe(false);
    expect(warm.shouldPrune(trial(9, 'running', [20, 20, 20]), 2, complete, 'minimize')).toBe(true);
    expect(warm.shouldPrune(trial(9, 'running', [20, 20, 5.9]), 2, complete, 'minimize')).toBe(false);
  });

  it('decides once per interval', () => {
    const every2 = medianPruner({ intervalSteps: 2 });
    const awful = trial(9, 'running', [100, 100, 100, 100]);
    expect([0, 1, 2, 3].map((s) => every2.shouldPrune(awful, s, complete, 'minimize'))).toEqual([
      true,
      false,
      true,
      false,
    ]);
  });

  it('does not prune when no complete trial reported the step', () => {
    expect(pruner.shouldPrune(trial(9, 'running', [100, 100, 100, 100, 100]), 4, complete, 'minimize')).toBe(false);
  });

  it('generalises to other percentiles', () => {
    // 25th percentile of 6, 7, 8, 9, 11 at step 1 is 7.
    const p25 = percentilePruner({ percentile: 25 });
    expect(p25.shouldPrune(trial(9, 'running', [9, 7.5]), 1, complete, 'minimize')).toBe(true);
    expect(p25.shouldPrune(trial(9, 'running', [9, 7]), 1, complete, 'minimize')).toBe(false);
  });
});

describe('successiveHalvingPruner (ASHA)', () => {
  // min resource 1, η 3: rungs at steps 1, 3, 9. Rung 0 values of the others: 5, 3, 8, 1, 6.
  const others = [
    trial(0, 'pruned', [9, 5]),
    trial(1, 'running', [9, 3, 2.8, 2.5]),
    trial(2, 'pruned', [9, 8]),
    trial(3, 'complete', [9, 1, 0.7, 0.5, 0.4, 0.4, 0.4, 0.4, 0.4, 0.3], 0.3),
    trial(4, 'pruned', [9, 6]),
  ];
  const asha = successiveHalvingPruner({ minResource: 1 });

  it('never prunes before the first rung', () => {
    expect(asha.shouldPrune(trial(9, 'running', [1000]), 0, others, 'minimize')).toBe(false);
  });

  it('promotes only the top 1/η of the trials that reached the rung', () => {
    // Competing at rung 0: 5, 3, 8, 1, 6 and the trial's own value: six values, so the best two go on (≤ 3).
    expect(asha.shouldPrune(trial(9, 'running', [9, 4]), 1, others, 'minimize')).toBe(true);
    expect(asha.shouldPrune(trial(9, 'running', [9, 3]), 1, others, 'minimize')).toBe(false);
    expect(asha.shouldPrune(trial(9, 'running', [9, 2]), 1, others, 'minimize')).toBe(false);
    // Maximising, the best two are 8 and 6.
    expect(asha.shouldPrune(trial(9, 'running', [9, 6]), 1, others, 'maximize')).toBe(false);
    expect(asha.shouldPrune(trial(9, 'running', [9, 5.5]), 1, others, 'maximize')).toBe(true);
  });

  it('always promotes the best trial at a rung, even alone', () => {
    expect(asha.shouldPrune(trial(0, 'running', [9, 100]), 1, [], 'minimize')).toBe(false);
    // Two values: fewer than η, so only the best goes on.
    const first = [trial(0, 'running', [9, 5])];
    expect(asha.shouldPrune(trial(1, 'running', [9, 4]), 1, first, 'minimize')).toBe(false);
    expect(asha.shouldPrune(trial(1, 'running', [9, 6]), 1, first, 'minimize')).toBe(true);
  });

  it('decides a rung once, at the first report that reaches it', () => {
    // Rung 1 (step 3) competitors: trials 1 (2.5) and 3 (0.5). With 2 the trial is not the best of three: pruned.
    expect(asha.shouldPrune(trial(9, 'running', [9, 1, 1.5, 2]), 3, others, 'minimize')).toBe(true);
    expect(asha.shouldPrune(trial(9, 'running', [9, 1, 1.5, 0.45]), 3, others, 'minimize')).toBe(false);
    // Rung 0 was passed at step 1, so step 2 decides nothing, whatever the value.
    expect(asha.shouldPrune(trial(9, 'running', [9, 1, 100]), 2, others, 'minimize')).toBe(false);
  });

  it('checks every rung a report jumps past', () => {
    // Straight to step 3 with 2: rung 0 (2 vs 5, 3, 8, 1, 6 → top two are 1 and 2) passes, rung 1 prunes.
    const jump = { number: 9, params: {}, state: 'running' as const, intermediate: [{ step: 3, value: 2 }] };
    expect(asha.shouldPrune(jump, 3, others, 'minimize')).toBe(true);
    const good = { ...jump, intermediate: [{ step: 3, value: 0.1 }] };
    expect(asha.shouldPrune(good, 3, others, 'minimize')).toBe(false);
  });

  it("estimates the minimum resource from complete trials' length", () => {
    const auto = successiveHalvingPruner();
    // No complete trial: no estimate, no pruning.
    expect(auto.shouldPrune(trial(9, 'running', [9, 100]), 1, [trial(0, 'running', [9, 1])], 'minimize')).toBe(false);
    // A complete trial that ran to step 299: min resource floor(299 / 100) = 2, so step 1 is before the first rung.
    const long = {
      number: 0,
      params: {},
      state: 'complete' as const,
      value: 1,
      intermediate: [
        { step: 0, value: 1 },
        { step: 299, value: 1 },
      ],
    };
    const history = [long, trial(1, 'running', [9, 1, 1])];
    expect(auto.shouldPrune(trial(9, 'running', [9, 100]), 1, history, 'minimize')).toBe(false);
    expect(auto.shouldPrune(trial(9, 'running', [9, 100, 100]), 2, history, 'minimize')).toBe(true);
  });

  it('prunes while a rung has no more than bootstrapCount trials', () => {
    const boot = successiveHalvingPruner({ minResource: 1, bootstrapCount: 2 });
    expect(boot.shouldPrune(trial(1, 'running', [9, 0]), 1, [trial(0, 'running', [9, 5])], 'minimize')).toBe(true);
    const three = [trial(0, 'running', [9, 5]), trial(2, 'running', [9, 6])];
    expect(boot.shouldPrune(trial(1, 'running', [9, 0]), 1, three, 'minimize')).toBe(false);
  });
});

describe('createPruner', () => {
  it('builds pruners from JSON config and refuses bad options', () => {
    expect(createPruner({ kind: 'median' }).kind).toBe('median');
    expect(createPruner({ kind: 'successiveHalving', reductionFactor: 4 }).kind).toBe('successiveHalving');
    expect(createPruner({ kind: 'none' }).shouldPrune(trial(0, 'running', [1e9]), 0, complete, 'minimize')).toBe(false);
    expect(() => createPruner({ kind: 'successiveHalving', reductionFactor: 1 })).toThrow(/reductionFactor/);
    expect(() => createPruner({ kind: 'bogus' } as never)).toThrow(/Unknown pruner "bogus"/);
  });
});
