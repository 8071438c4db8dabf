// One linear predictor in the units of the raw (imputed) features, for reports: b / scale for numeric features, the
// centring folded into the intercept; category indicators are unchanged.
import type { FeatureEncoding, OriginalUnits } from '../artifact/model-artifact.js';

export function originalUnits(encodings: FeatureEncoding[], intercept: number, coefficients: number[]): OriginalUnits {
  const terms: OriginalUnits['terms'] = [];
  let b0 = intercept;
  let offset = 0;
  for (const encoding of encodings) {
    if (encoding.type === 'number') {
      const b = coefficients[offset]! / encoding.scale;
      b0 -= b * encoding.center;
      terms.push({ feature: encoding.name, coefficient: b });
      offset += 1;
    } else {
      encoding.categories.forEach((category, k) => {
        terms.push({ feature: encoding.name, category, coefficient: coefficients[offset + k]! });
      });
      offset += encoding.categories.length;
    }
  }
  return { intercept: b0, terms };
}
