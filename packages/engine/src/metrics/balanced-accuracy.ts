// Balanced accuracy, equal to scikit-learn's balanced_accuracy_score: mean recall over the classes in yTrue.
import { checkBinaryTruth, thresholdPredictions } from './class-labels.js';
import { checkInputs } from './check-inputs.js';
import { classTallies } from './class-tallies.js';

export interface BalancedAccuracyOptions {
  /** Take class codes in both vectors instead of 0/1 truths and probabilities thresholded at 0.5. */
  multiclass?: boolean;
}

/** Classes that occur only in yPred do not count (scikit-learn warns about them); one class gives its recall. */
export function balancedAccuracy(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  opts: BalancedAccuracyOptions = {},
): number {
  checkInputs(yTrue, yPred);
  let predicted: ArrayLike<number> = yPred;
  if (opts.multiclass !== true) {
    checkBinaryTruth(yTrue);
    predicted = thresholdPredictions(yPred);
  }
  const { labels, truePositives, actual } = classTallies(yTrue, predicted);
  let sum = 0;
  let classes = 0;
  for (let c = 0; c < labels.length; c++) {
    if (actual[c]! === 0) continue;
    sum += truePositives[c]! / actual[c]!;
    classes++;
  }
  return sum / classes;
}
