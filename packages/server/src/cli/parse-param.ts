// Parses `--param key=value` into a typed algorithm parameter (numbers and booleans are recognised).

import { InvalidArgumentError } from 'commander';

export type ParamValue = number | string | boolean;

export function parseParamValue(text: string): ParamValue {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return Number(text);
  return text;
}

/** A commander argument parser: each `k=v` adds one entry to the collected params. */
export function collectParam(text: string, previous: Record<string, ParamValue> = {}): Record<string, ParamValue> {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`Expected key=value, e.g. lambda=0.001.`);
  return { ...previous, [text.slice(0, eq)]: parseParamValue(text.slice(eq + 1)) };
}
