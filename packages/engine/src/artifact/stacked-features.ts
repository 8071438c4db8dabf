// The meta-learner's input in a stacked ensemble: each base's outputs as named number columns.
import { Frame } from '../frame/frame.js';
import type { FeatureRecord } from './feature-record.js';

/** Values a base predicts per row: one probability per class over more than two classes, else one. */
export function outputsPerRow(classes: string[] | undefined): number {
  return classes !== undefined && classes.length > 2 ? classes.length : 1;
}

/** `base<i>` for a value or P(classes[1]); `base<i>:<class>` for each class over more than two classes. */
export function metaFeatureNames(nBases: number, classes: string[] | undefined): string[] {
  const perClass = outputsPerRow(classes) > 1 ? (classes ?? []) : undefined;
  const names: string[] = [];
  for (let i = 0; i < nBases; i++) {
    if (perClass === undefined) names.push(`base${i}`);
    else for (const c of perClass) names.push(`base${i}:${c}`);
  }
  return names;
}

/** Base i's n × w row-major outputs (as predictFrame returns them) become its w meta columns. */
export function metaFrame(outputs: Float64Array[], nRows: number, classes: string[] | undefined): Frame {
  const w = outputsPerRow(classes);
  const names = metaFeatureNames(outputs.length, classes);
  return Frame.fromColumns(
    names.map((name, j) => {
      const base = outputs[Math.floor(j / w)]!;
      const c = j % w;
      const values = new Float64Array(nRows);
      for (let i = 0; i < nRows; i++) values[i] = base[i * w + c]!;
      return { kind: 'number', name, values };
    }),
  );
}

/** The same meta features as records, for the record scoring path. */
export function metaRecords(outputs: Float64Array[], nRows: number, classes: string[] | undefined): FeatureRecord[] {
  const w = outputsPerRow(classes);
  const names = metaFeatureNames(outputs.length, classes);
  return Array.from({ length: nRows }, (_, i) => {
    const record: FeatureRecord = {};
    names.forEach((name, j) => (record[name] = outputs[Math.floor(j / w)]![i * w + (j % w)]!));
    return record;
  });
}
