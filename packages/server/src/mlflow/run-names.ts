// Names for runs created without one, in MLflow's "adjective-noun-number" manner.

import { randomInt } from 'node:crypto';

const ADJECTIVES = ['amber', 'bold', 'calm', 'clever', 'daring', 'eager', 'gentle', 'keen', 'lucky', 'merry', 'quiet'];
const NOUNS = ['badger', 'crane', 'falcon', 'fawn', 'heron', 'lynx', 'otter', 'owl', 'panda', 'robin', 'wren'];

export function generateRunName(): string {
  const pick = (words: string[]) => words[randomInt(words.length)]!;
  return `${pick(ADJECTIVES)}-${pick(NOUNS)}-${randomInt(1000)}`;
}
