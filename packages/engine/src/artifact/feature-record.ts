// The JSON shape of one record to score.

export type FeatureValue = number | string | boolean | null;
export type FeatureRecord = Record<string, FeatureValue>;
