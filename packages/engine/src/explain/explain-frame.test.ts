import { describe, expect, it } from 'vitest';
import { isForestArtifact, isGbdtArtifact, isGlmArtifact } from '../artifact/is-gbdt-artifact.js';
import { frameLinearPredictor } from '../artifact/linear-scorer.js';
import type { ModelArtifact } from '../artifact/model-artifact.js';
import { modelView } from '../artifact/model-view.js';
import { forestMargins, marginsPerRow } from '../artifact/tree-scorer.js';
import type { Frame } from '../frame/frame.js';
import { targetEncodeFrame } from '../preprocess/apply-target-encoding.js';
import { parityCases, stackedCases } from '../test-support/parity-cases.js';
import { explainFrame, hasExactShap } from './explain-frame.js';
import type { ShapValues } from './shap-values.js';
import { treeInputColumns } from './tree-shap.js';

/** The engine's own raw value per row and output: tree margins (forests: per-output means), GLM linear predictors. */
function rawOutputs(artifact: ModelArtifact, frame: Frame): Float64Array {
  if (isGbdtArtifact(artifact) || isForestArtifact(artifact)) {
    const margins = forestMargins(modelView(artifact), treeInputColumns(artifact, frame), frame.nRows);
    if (isForestArtifact(artifact)) {
      const rounds = artifact.model.trees.length / marginsPerRow(artifact);
      for (let i = 0; i < margins.length; i++) margins[i] = margins[i]! / rounds;
    }
    return margins;
  }
  if (!isGlmArtifact(artifact)) throw new Error('not a single model');
  const encoding = artifact.preprocessing.targetEncoding;
  return frameLinearPredictor(modelView(artifact), encoding ? targetEncodeFrame(encoding, frame) : frame);
}

/** The largest |expected + Σ contributions − raw| over every row and output. */
function additivityError(shap: ShapValues, raw: Float64Array): number {
  const nF = shap.features.length;
  const k = shap.outputs.length;
  let worst = 0;
  for (let i = 0; i < shap.nRows; i++) {
    for (let c = 0; c < k; c++) {
      let sum = shap.expected[c]!;
      for (let j = 0; j < nF; j++) sum += shap.contributions[(i * nF + j) * k + c]!;
      worst = Math.max(worst, Math.abs(sum - raw[i * k + c]!));
    }
  }
  return worst;
}

describe('explainFrame', () => {
  it('is additive: expected + contributions = the raw output, on every parity case row', { timeout: 240_000 }, () => {
    for (const { name, artifact, frame } of parityCases()) {
      const shap = explainFrame(artifact, frame);
      expect(shap.nRows).toBe(frame.nRows);
      expect(shap.contributions.length).toBe(frame.nRows * shap.features.length * shap.outputs.length);
      const error = additivityError(shap, rawOutputs(artifact, frame));
      expect(error, name).toBeLessThanOrEqual(1e-9);
    }
  });

  it('refuses stacked ensembles, which have no exact SHAP values', { timeout: 120_000 }, () => {
    const [stacked] = stackedCases();
    expect(hasExactShap(stacked!.artifact)).toBe(false);
    expect(() => explainFrame(stacked!.artifact, stacked!.frame)).toThrow(
      expect.objectContaining({
        code: 'invalid_input',
        details: expect.objectContaining({ reason: 'explain_unsupported_model' }),
      }),
    );
  });
});
