// Public surface of the AutoML building blocks: cross-validation of any trainer and stacked ensembles.
export { crossValidate, type CrossValidateOptions, type CvTrainOptions } from './cross-validate.js';
export type { CvResult, OutOfFold } from './cv-result.js';
export { trainStackedEnsemble, type StackBase, type StackOptions } from './stacked-ensemble.js';
export { crossValidateMeta } from './cross-validate-meta.js';
