// Per-record flags against a training profile, cheap enough for every predict call: a number outside the training
// range, a category never seen in training, a missing value where training had none. The record is still scored.

import type { FeatureRecord, FeatureValue } from '../artifact/feature-record.js';
import type { TrainingProfile } from './training-profile.js';

export type ProfileProblem = 'out_of_range' | 'unseen_category' | 'unexpected_missing';

export interface ProfileFlag {
  row: number;
  field: string;
  problem: ProfileProblem;
  value: number | string | null;
}

type Check = (value: FeatureValue | undefined) => ProfileProblem | null;

const isMissing = (v: FeatureValue | undefined): boolean =>
  v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) || v === '';

/** A function flagging records against `profile`; features the profile lacks are not checked. */
export function profileChecker(profile: TrainingProfile): (records: readonly FeatureRecord[]) => ProfileFlag[] {
  const checks: { name: string; check: Check }[] = profile.features.map((feature) => {
    const neverMissing = feature.missing === 0;
    if (feature.type === 'number') {
      const { min, max } = feature;
      return {
        name: feature.name,
        check: (v) => {
          if (isMissing(v)) return neverMissing ? 'unexpected_missing' : null;
          const x = typeof v === 'number' ? v : Number(v);
          return min !== null && max !== null && (x < min || x > max) ? 'out_of_range' : null;
        },
      };
    }
    // A profile that lists every category seen can tell an unseen one; one that lumped the rare ones together cannot.
    const known = feature.otherCount === 0 ? new Set(feature.categories.map((c) => c.value)) : undefined;
    return {
      name: feature.name,
      check: (v) => {
        if (isMissing(v)) return neverMissing ? 'unexpected_missing' : null;
        return known !== undefined && !known.has(String(v)) ? 'unseen_category' : null;
      },
    };
  });
  return (records) => {
    const flags: ProfileFlag[] = [];
    for (let row = 0; row < records.length; row++) {
      const record = records[row]!;
      for (const { name, check } of checks) {
        const value = record[name];
        const problem = check(value);
        if (problem !== null) {
          flags.push({
            row,
            field: name,
            problem,
            value:
              value === undefined || typeof value === 'boolean' ? (value === undefined ? null : String(value)) : value,
          });
        }
      }
    }
    return flags;
  };
}
