// How category features are encoded, a choice every trainer takes next to its own parameters.
import { EngineError } from '../errors.js';

export type CategoricalEncoding = 'auto' | 'native' | 'target';

export interface EncodingParams {
  /**
   * `native`: the trainer's own handling (one-hot for the GLM, category splits for trees) and a category with more
   * than 1000 distinct training values dropped as an identifier. `target`: every category feature target-encoded.
   * `auto` (default): native, except that those many-valued categories are target-encoded instead of dropped, unless
   * they have more distinct values than half the training rows (an identifier: dropped, as under `native`).
   */
  categoricalEncoding?: CategoricalEncoding;
  /** The `m` of the smoothed target mean (sum + m * prior) / (count + m), >= 0, or 'auto' (default). */
  targetSmoothing?: number | 'auto';
  /** Folds of the out-of-fold target encoding of the training rows, an integer in [2, 20]. Default 5. */
  targetFolds?: number;
}

export type ResolvedEncodingParams = Required<EncodingParams>;

export function resolveEncodingParams(params: EncodingParams = {}): ResolvedEncodingParams {
  const r: ResolvedEncodingParams = {
    categoricalEncoding: params.categoricalEncoding ?? 'auto',
    targetSmoothing: params.targetSmoothing ?? 'auto',
    targetFolds: params.targetFolds ?? 5,
  };
  const mode = r.categoricalEncoding;
  check('categoricalEncoding', mode, mode === 'auto' || mode === 'native' || mode === 'target');
  const m = r.targetSmoothing;
  check('targetSmoothing', m, m === 'auto' || (typeof m === 'number' && Number.isFinite(m) && m >= 0));
  const k = r.targetFolds;
  check('targetFolds', k, Number.isInteger(k) && k >= 2 && k <= 20);
  return r;
}

function check(name: string, value: unknown, ok: boolean): void {
  if (!ok) throw new EngineError('invalid_param', `Invalid ${name}: ${String(value)}`, { param: name, value });
}
