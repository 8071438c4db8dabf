// Samplers from their JSON configuration, as a study stores it.
import { EngineError } from '../../errors.js';
import { gridSampler, type GridSamplerOptions } from './grid-sampler.js';
import { randomSampler } from './random-sampler.js';
import type { Sampler } from './sampler.js';
import { tpeSampler, type TpeSamplerOptions } from './tpe-sampler.js';

export type SamplerConfig =
  { kind: 'random' } | ({ kind: 'grid' } & GridSamplerOptions) | ({ kind: 'tpe' } & Omit<TpeSamplerOptions, 'gamma'>);

export function createSampler(config: SamplerConfig): Sampler {
  switch (config.kind) {
    case 'random':
      return randomSampler();
    case 'grid':
      return gridSampler(config);
    case 'tpe':
      return tpeSampler(config);
    default:
      throw new EngineError('invalid_param', `Unknown sampler ${JSON.stringify((config as { kind?: unknown }).kind)}`, {
        param: 'sampler',
      });
  }
}
