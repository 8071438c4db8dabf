import { describe, expect, it } from 'vitest';
import type { FeatureRecord } from '../artifact/feature-record.js';
import { predictRecords } from '../artifact/predict-records.js';
import type { Frame } from '../frame/frame.js';
import { trainGbdtModel } from '../gbdt/train-gbdt-model.js';
import { trainGlmModel } from '../glm/train-glm-model.js';
import { sharedFrame } from '../test-support/parity-cases.js';
import { explainRecords } from './explain-records.js';

function records(frame: Frame, n: number, skip: string): FeatureRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const record: FeatureRecord = {};
    for (const name of frame.names) {
      if (name === skip) continue;
      const column = frame.column(name);
      if (column.kind === 'number') record[name] = Number.isNaN(column.values[i]!) ? null : column.values[i]!;
      else record[name] = column.codes[i]! < 0 ? null : column.dictionary[column.codes[i]!]!;
    }
    return record;
  });
}

const logit = (p: number) => Math.log(p / (1 - p));

describe('explainRecords', () => {
  const frame = sharedFrame('credit_data.csv');
  const rows = records(frame, 300, 'Status');
  // A value the model never saw, and a missing one, take the scorer's paths.
  rows.push({ ...rows[0]!, Home: 'castle', Income: null });

  it.each([
    ['GBDT', trainGbdtModel(frame, { target: 'Status', task: 'classification', params: { nTrees: 40, maxDepth: 4 } })],
    ['GLM', trainGlmModel(frame, { target: 'Status', task: 'classification' })],
  ] as const)('adds up to the %s margin of every record', (_name, { artifact }) => {
    const explanations = explainRecords(artifact, rows);
    const predictions = predictRecords(artifact, rows);
    const positive = artifact.classes![1]!;
    explanations.forEach((e, i) => {
      expect(e.outputs).toEqual([positive]);
      expect(Object.keys(e.contributions)).toEqual(artifact.features.map((f) => f.name));
      const total = e.expected[0]! + Object.values(e.contributions).reduce((s, c) => s + c[0]!, 0);
      const p = (predictions[i] as { probabilities: Record<string, number> }).probabilities[positive]!;
      expect(Math.abs(total - logit(p))).toBeLessThan(1e-9);
    });
    // The missing value gets a contribution like any other, and the unseen category one too.
    expect(explanations.at(-1)!.contributions.Home).toHaveLength(1);
  });

  it('refuses records the scorer would refuse', () => {
    const { artifact } = trainGlmModel(frame, { target: 'Status', task: 'classification' });
    expect(() => explainRecords(artifact, [{ ...rows[0]!, Income: 'lots' }])).toThrow(/problem/);
  });
});
