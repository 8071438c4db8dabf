// Test-only: the samples drift-reference.json was computed on, regenerated exactly as make_drift_fixtures.py makes
// them (a 32-bit LCG, 24-bit uniforms; every value an exact binary fraction, so no rounding can differ).

export interface SampleSpec {
  seed: number;
  n: number;
  shape?: 'normal' | 'uniform' | 'skewed' | 'integer';
  shift?: number;
  scale?: number;
  levels?: number;
}

export function driftSample(spec: SampleSpec): Float64Array {
  const { n, shape = 'normal', shift = 0, scale = 1, levels = 0 } = spec;
  let x = spec.seed >>> 0;
  const uniform = (): number => {
    x = (Math.imul(1664525, x) + 1013904223) >>> 0;
    return (x >>> 8) / 16777216;
  };
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v: number;
    if (shape === 'normal') {
      let s = 0;
      for (let k = 0; k < 12; k++) s += uniform();
      v = s - 6;
    } else {
      const u = uniform();
      v = shape === 'uniform' ? u : shape === 'skewed' ? u * u : Math.trunc(u * levels);
    }
    out[i] = v * scale + shift;
  }
  return out;
}
