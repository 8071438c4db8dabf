// Reads a whole-number option (--limit, --offset, --depth, --port) and refuses anything else in one line.

import { CliError } from '../cli-error.js';

/** `text` as an integer in min..max; a CliError naming the option otherwise (commander hands every value as text). */
export function integerOption(option: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = /^\s*-?\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `${min}..${max}`;
    throw new CliError('invalid_option', `${option} takes a whole number ${range}, not '${text}'.`);
  }
  return value;
}
