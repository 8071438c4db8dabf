// Leaves out features with no value on any training row: nothing can be learnt from them.
import type { Frame } from '../frame/frame.js';

export function dropEmptyFeatures(
  trainFrame: Frame,
  featureNames: string[],
): { featureNames: string[]; dropped: { name: string; reason: string }[] } {
  const kept: string[] = [];
  const dropped: { name: string; reason: string }[] = [];
  for (const name of featureNames) {
    const column = trainFrame.column(name);
    // ±Infinity counts as missing in a feature, as everywhere in the engine.
    const empty =
      column.kind === 'number' ? column.values.every((v) => !Number.isFinite(v)) : column.codes.every((c) => c < 0);
    if (empty) dropped.push({ name, reason: 'every training value is missing' });
    else kept.push(name);
  }
  return { featureNames: kept, dropped };
}
