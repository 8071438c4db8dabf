// Fairness slices: metrics per segment and intersection, and the disparity between segments (fairlearn's measures).
export {
  sliceMetrics,
  DEFAULT_MIN_GROUP_SIZE,
  type SliceMetricsInput,
  type SliceMetrics,
  type SliceTable,
  type SliceGroup,
} from './slice-metrics.js';
export type { GroupMetrics } from './group-metrics.js';
export type { Disparity } from './disparity.js';
export { MISSING_GROUP, type SegmentColumn } from './segment-groups.js';
export { outputLabels } from './output-labels.js';
