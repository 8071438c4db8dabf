import { describe, it, expect } from 'vitest';
import * as engine from './index.js';

describe('public API', () => {
  it('exports exactly the documented runtime values', () => {
    expect(Object.keys(engine).sort()).toEqual(
      [
        'EngineError',
        'Frame',
        'accuracy',
        'holdoutSplit',
        'logLoss',
        'mae',
        'parseArtifact',
        'prAuc',
        'predictFrame',
        'predictRecords',
        'r2',
        'rmse',
        'rocAuc',
        'trainGlmModel',
        'validateRecords',
      ].sort(),
    );
  });
});
