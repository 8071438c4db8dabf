// The metrics room's public surface; the package index re-exports it.
export { rocAuc } from './roc-auc.js';
export { rocAucOvr } from './roc-auc-ovr.js';
export { prAuc } from './pr-auc.js';
export { logLoss } from './log-loss.js';
export { multiclassLogLoss } from './multiclass-log-loss.js';
export { accuracy } from './accuracy.js';
export { balancedAccuracy, type BalancedAccuracyOptions } from './balanced-accuracy.js';
export type { Average, ClassificationMetricOptions } from './precision-recall-f1.js';
export { precision } from './precision.js';
export { recall } from './recall.js';
export { f1 } from './f1.js';
export { confusionMatrix, type ConfusionMatrix } from './confusion-matrix.js';
export { calibrationCurve, type CalibrationOptions, type CalibrationCurve } from './calibration-curve.js';
export { rmse } from './rmse.js';
export { mae } from './mae.js';
export { r2 } from './r2.js';
export { mape } from './mape.js';
export { poissonDeviance } from './poisson-deviance.js';
