// Per-trial random streams: derived from (seed, trial number, parameter) alone, so a suggestion never depends on the
// order in which other trials finished or on which other parameters the space holds.
import { seededRandom, type Random } from '../validation/random.js';

/** A mulberry32 stream for one parameter of one trial. */
export function trialRandom(seed: number, trialNumber: number, stream: string): Random {
  let h = mix(0x9e3779b9 ^ (seed >>> 0));
  h = mix(h ^ (Math.floor(seed / 4294967296) >>> 0));
  h = mix(h ^ (trialNumber >>> 0));
  h = mix(h ^ (Math.floor(trialNumber / 4294967296) >>> 0));
  return seededRandom(mix(h ^ fnv1a(stream)));
}

/** MurmurHash3's finaliser: every input bit affects every output bit. */
function mix(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
