import { describe, it, expect } from 'vitest';
import {
  accuracy,
  balancedAccuracy,
  calibrationCurve,
  confusionMatrix,
  f1,
  logLoss,
  mae,
  mape,
  multiclassLogLoss,
  poissonDeviance,
  prAuc,
  precision,
  r2,
  recall,
  rmse,
  rocAuc,
  rocAucOvr,
  type Average,
} from './index.js';
import * as room from './index.js';
import reference from './__fixtures__/sklearn-metric-cases.json' with { type: 'json' };

// Every metric against scikit-learn on frozen vectors: ties, constant predictions, one class, zero targets, NaN and
// infinities. Values to 1e-9 (relative above 1, for MAPE's epsilon blow-up); errors by code.
const TOLERANCE = 1e-9;

type Encoded = (number | string | null)[];
interface Args {
  yTrue: Encoded;
  yPred?: Encoded;
  probs?: Encoded;
  k?: number;
  average?: string;
  nClasses?: number;
  multiclass?: boolean;
  nBins?: number;
  strategy?: string;
}
interface Case {
  metric: string;
  case: string;
  args: Args;
  sklearn: string;
  value?: number | number[] | { probTrue: number[]; probPred: number[] };
  error?: { code: string; sklearn: string };
}

/** JSON has no NaN or infinities: the script writes null and "Infinity" / "-Infinity". */
function decode(values: Encoded | undefined): Float64Array {
  return Float64Array.from(values ?? [], (v) => (v === null ? Number.NaN : Number(v)));
}

function run(c: Case): number | number[] | { probTrue: number[]; probPred: number[] } {
  const { args } = c;
  const y = decode(args.yTrue);
  const p = decode(args.yPred);
  const opts = { average: args.average as Average | undefined, nClasses: args.nClasses };
  switch (c.metric) {
    case 'rocAuc':
      return rocAuc(y, p);
    case 'prAuc':
      return prAuc(y, p);
    case 'logLoss':
      return logLoss(y, p);
    case 'accuracy':
      return accuracy(y, p);
    case 'balancedAccuracy':
      return balancedAccuracy(y, p, { multiclass: args.multiclass ?? false });
    case 'precision':
      return precision(y, p, opts);
    case 'recall':
      return recall(y, p, opts);
    case 'f1':
      return f1(y, p, opts);
    case 'confusionMatrix':
      return Array.from(confusionMatrix(y, p, args.nClasses!).counts);
    case 'calibrationCurve': {
      const curve = calibrationCurve(y, p, { nBins: args.nBins!, strategy: args.strategy as 'uniform' | 'quantile' });
      return { probTrue: Array.from(curve.probTrue), probPred: Array.from(curve.probPred) };
    }
    case 'multiclassLogLoss':
      return multiclassLogLoss(y, decode(args.probs), args.k!);
    case 'rocAucOvr':
      return rocAucOvr(y, decode(args.probs), args.k!);
    case 'rmse':
      return rmse(y, p);
    case 'mae':
      return mae(y, p);
    case 'r2':
      return r2(y, p);
    case 'mape':
      return mape(y, p);
    case 'poissonDeviance':
      return poissonDeviance(y, p);
    default:
      throw new Error(`no metric ${c.metric}`);
  }
}

function expectNear(actual: number[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    expect(Math.abs(a - e), `element ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(TOLERANCE * Math.max(1, Math.abs(e)));
  });
}

const cases = reference.cases as Case[];

describe(`metrics vs scikit-learn ${reference.sklearn}`, () => {
  const byMetric = new Map<string, Case[]>();
  for (const c of cases) byMetric.set(c.metric, [...(byMetric.get(c.metric) ?? []), c]);

  for (const [metric, group] of byMetric) {
    describe(metric, () => {
      for (const c of group) {
        it(`${c.case}: ${c.error ? `throws ${c.error.code}` : 'matches'} (${c.sklearn})`, () => {
          if (c.error) {
            expect(() => run(c)).toThrowError(expect.objectContaining({ name: 'EngineError', code: c.error.code }));
            return;
          }
          const actual = run(c);
          const expected = c.value!;
          if (typeof expected === 'number') expectNear([actual as number], [expected]);
          else if (Array.isArray(expected)) expectNear(actual as number[], expected);
          else {
            const curve = actual as { probTrue: number[]; probPred: number[] };
            expectNear(curve.probTrue, expected.probTrue);
            expectNear(curve.probPred, expected.probPred);
          }
        });
      }
    });
  }

  it('covers every exported metric with ties, one class and NaN', () => {
    const metrics = new Set(cases.map((c) => c.metric));
    const exported = Object.entries(room).filter(([, value]) => typeof value === 'function');
    expect([...metrics].sort()).toEqual(exported.map(([name]) => name).sort());
    for (const metric of metrics) {
      const names = cases.filter((c) => c.metric === metric).map((c) => c.case);
      expect(
        names.some((n) => n.startsWith('nan_')),
        metric,
      ).toBe(true);
      expect(
        names.some((n) => /one_class|constant_target/.test(n)),
        metric,
      ).toBe(true);
    }
  });
});
