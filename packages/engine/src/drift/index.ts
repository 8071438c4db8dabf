// Drift statistics for monitoring: the tests and distances, equal to SciPy's, and the per-column choice of test.
export { ksTwoSample, type TestResult } from './ks-test.js';
export { chiSquareContingency, chiSquareGoodnessOfFit, type ContingencyResult } from './chi-square.js';
export { jensenShannonDistance, wassersteinDistance, populationStabilityIndex } from './distances.js';
export {
  columnDrift,
  datasetDrift,
  defaultTest,
  DriftInputError,
  type ColumnSample,
  type ColumnDriftOptions,
  type ColumnDriftResult,
  type DatasetDriftResult,
  type DriftTestName,
} from './column-drift.js';
