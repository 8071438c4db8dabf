// The end every trainer shares: score the holdout rows with the finished artifact, exactly as serving would.
import type { ModelArtifact } from '../artifact/model-artifact.js';
import { predictFrame } from '../artifact/predict-frame.js';
import type { Frame } from '../frame/frame.js';
import { multiclassMetrics } from '../gbdt/multiclass-metrics.js';
import { holdoutMetrics } from '../glm/holdout-metrics.js';

/**
 * Holdout metrics of `artifact` and the row counts of a result. `outputs` is how many values it predicts per row:
 * above 1, one probability per class (multiclass metrics).
 */
export function holdoutResult<A extends ModelArtifact>(
  artifact: A,
  outputs: number,
  testFrame: Frame,
  yTrain: Float64Array,
  yTest: Float64Array,
  onProgress: ((fraction: number) => void) | undefined,
) {
  const predictions = predictFrame(artifact, testFrame);
  const metrics =
    outputs > 1 ? multiclassMetrics(yTest, predictions, outputs) : holdoutMetrics(artifact.task, yTest, predictions);
  onProgress?.(1);
  return { artifact, metrics, trainRows: yTrain.length, testRows: yTest.length };
}
