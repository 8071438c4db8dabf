import { describe, it, expect } from 'vitest';
import * as engine from './index.js';

describe('public API', () => {
  it('exports exactly the documented runtime values', () => {
    expect(Object.keys(engine).sort()).toEqual(
      [
        'EngineError',
        'Frame',
        'accuracy',
        'balancedAccuracy',
        'calibrationCurve',
        'confusionMatrix',
        'f1',
        'groupKFold',
        'holdoutSplit',
        'kFold',
        'mape',
        'multiclassLogLoss',
        'poissonDeviance',
        'precision',
        'recall',
        'rocAucOvr',
        'stratifiedKFold',
        'timeSeriesSplit',
        'logLoss',
        'mae',
        'parseArtifact',
        'prAuc',
        'predictFrame',
        'predictRecords',
        'r2',
        'rmse',
        'rocAuc',
        'serveHistograms',
        'LONG_SPINS',
        'trainForestModel',
        'trainGbdtModel',
        'trainGlmModel',
        'validateRecords',
      ].sort(),
    );
  });
});
