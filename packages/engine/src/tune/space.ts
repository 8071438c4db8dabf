// Search spaces for hyperparameter studies: plain JSON objects, validated once and walked in dependency order.
import { EngineError } from '../errors.js';

/** A hyperparameter value as it appears in a trial's params (and in JSON). */
export type ParamValue = string | number | boolean;

/** A trial's hyperparameters: only the dimensions that were active for it. */
export type Params = Record<string, ParamValue>;

/** Makes a dimension conditional: active only when `param` is active and its value is one of `in`. */
export interface Condition {
  param: string;
  in: ParamValue[];
}

/**
 * Grid points of a numeric dimension for the grid sampler: a count (evenly spaced, geometrically for log dimensions,
 * rounded for integers) or the explicit values.
 */
export type GridPoints = number | number[];

export interface UniformDimension {
  kind: 'uniform';
  low: number;
  high: number;
  when?: Condition;
  gridPoints?: GridPoints;
}

export interface LogUniformDimension {
  kind: 'loguniform';
  /** > 0. */
  low: number;
  high: number;
  when?: Condition;
  gridPoints?: GridPoints;
}

export interface IntDimension {
  kind: 'int';
  low: number;
  high: number;
  /** Sample uniformly in log space (low >= 1, step 1). */
  log?: boolean;
  /** Values are low, low + step, ..., high; (high - low) must be a multiple of step. Default 1. */
  step?: number;
  when?: Condition;
  gridPoints?: GridPoints;
}

export interface CategoricalDimension {
  kind: 'categorical';
  choices: ParamValue[];
  when?: Condition;
}

export type Dimension = UniformDimension | LogUniformDimension | IntDimension | CategoricalDimension;

/** Parameter name → dimension. Stored and exchanged as JSON as it is. */
export type SearchSpace = Record<string, Dimension>;

/**
 * Checks every dimension and condition and returns the parameter names in a fixed order where each parent comes
 * before its children (otherwise the space's own key order). Throws `invalid_param` naming the parameter at fault.
 */
export function validateSpace(space: SearchSpace): string[] {
  if (space === null || typeof space !== 'object' || Array.isArray(space)) {
    fail('', 'The search space must be an object of parameter name → dimension');
  }
  const names = Object.keys(space);
  if (names.length === 0) fail('', 'The search space has no parameters');
  for (const name of names) checkDimension(name, space[name]);
  for (const name of names) checkCondition(space, name);
  return dependencyOrder(space, names);
}

/** Parses a space received as JSON (text or an already parsed value) and validates it. */
export function parseSpace(json: unknown): SearchSpace {
  const value: unknown = typeof json === 'string' ? parseJson(json) : json;
  validateSpace(value as SearchSpace);
  return value as SearchSpace;
}

/** Whether `name` is active given the values chosen so far for its ancestors. */
export function isActive(space: SearchSpace, name: string, params: Params): boolean {
  const when = space[name]?.when;
  if (when === undefined) return true;
  if (!(when.param in params)) return false;
  const value = params[when.param];
  return when.in.some((v) => v === value);
}

/** Whether `value` is a value the dimension can take (used to ignore stale params of a changed space). */
export function isValidValue(dim: Dimension, value: unknown): value is ParamValue {
  if (dim.kind === 'categorical') return dim.choices.some((c) => c === value);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < dim.low || value > dim.high) return false;
  if (dim.kind !== 'int') return true;
  return Number.isInteger(value) && (value - dim.low) % (dim.step ?? 1) === 0;
}

/** Every value of an int dimension, in order. */
export function intValues(dim: IntDimension): number[] {
  const step = dim.step ?? 1;
  const out: number[] = [];
  for (let v = dim.low; v <= dim.high; v += step) out.push(v);
  return out;
}

function checkDimension(name: string, dim: unknown): void {
  if (dim === null || typeof dim !== 'object') fail(name, `Parameter "${name}" must be a dimension object`);
  const d = dim as Dimension;
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  switch (d.kind) {
    case 'uniform':
    case 'loguniform':
    case 'int': {
      if (!finite(d.low) || !finite(d.high)) fail(name, `Parameter "${name}" needs finite numeric low and high`);
      if (d.low > d.high) fail(name, `Parameter "${name}" has low ${d.low} above high ${d.high}`);
      if (d.kind === 'loguniform' && d.low <= 0) {
        fail(name, `Parameter "${name}" is log-uniform, so low must be > 0 (got ${d.low})`);
      }
      if (d.kind === 'int') checkInt(name, d);
      if (d.gridPoints !== undefined) checkGridPoints(name, d);
      return;
    }
    case 'categorical': {
      if (!Array.isArray(d.choices) || d.choices.length === 0) {
        fail(name, `Parameter "${name}" is categorical but has no choices`);
      }
      const seen = new Set<ParamValue>();
      for (const c of d.choices) {
        const ok = typeof c === 'string' || typeof c === 'boolean' || (typeof c === 'number' && Number.isFinite(c));
        if (!ok) fail(name, `Parameter "${name}" has a choice that is not a string, finite number or boolean`);
        if (seen.has(c)) fail(name, `Parameter "${name}" lists the choice ${JSON.stringify(c)} twice`);
        seen.add(c);
      }
      return;
    }
    default:
      fail(name, `Parameter "${name}" has unknown kind ${JSON.stringify((d as { kind?: unknown }).kind)}`);
  }
}

function checkInt(name: string, d: IntDimension): void {
  if (!Number.isInteger(d.low) || !Number.isInteger(d.high)) {
    fail(name, `Parameter "${name}" is an int, so low and high must be integers`);
  }
  const step = d.step ?? 1;
  if (!Number.isInteger(step) || step < 1) fail(name, `Parameter "${name}" needs a positive integer step`);
  if ((d.high - d.low) % step !== 0) {
    fail(name, `Parameter "${name}": high - low (${d.high - d.low}) is not a multiple of step ${step}`);
  }
  if (d.log === true) {
    if (d.low < 1) fail(name, `Parameter "${name}" is a log int, so low must be >= 1 (got ${d.low})`);
    if (step !== 1) fail(name, `Parameter "${name}" is a log int, so step must be 1`);
  }
}

function checkGridPoints(name: string, d: UniformDimension | LogUniformDimension | IntDimension): void {
  const g = d.gridPoints;
  if (typeof g === 'number') {
    if (!Number.isInteger(g) || g < 2) fail(name, `Parameter "${name}": gridPoints must be an integer >= 2`);
    return;
  }
  if (!Array.isArray(g) || g.length === 0) {
    fail(name, `Parameter "${name}": gridPoints must be a count or a non-empty list of values`);
  }
  for (const v of g) {
    if (!isValidValue(d, v)) fail(name, `Parameter "${name}": grid point ${String(v)} is not a value of the dimension`);
  }
}

function checkCondition(space: SearchSpace, name: string): void {
  const when = space[name]!.when;
  if (when === undefined) return;
  if (when === null || typeof when !== 'object' || typeof when.param !== 'string') {
    fail(name, `Parameter "${name}": "when" must be { param, in }`);
  }
  const parent = space[when.param];
  if (parent === undefined) fail(name, `Parameter "${name}" depends on unknown parameter "${when.param}"`);
  if (when.param === name) fail(name, `Parameter "${name}" depends on itself`);
  if (parent.kind !== 'categorical' && parent.kind !== 'int') {
    fail(name, `Parameter "${name}" depends on "${when.param}", which is neither categorical nor int`);
  }
  if (!Array.isArray(when.in) || when.in.length === 0) {
    fail(name, `Parameter "${name}": "when.in" must list at least one value of "${when.param}"`);
  }
  for (const v of when.in) {
    if (!isValidValue(parent, v)) {
      fail(name, `Parameter "${name}": ${JSON.stringify(v)} is not a value of "${when.param}"`);
    }
  }
}

/** Parents first (stable otherwise); a cycle of conditions is an error. */
function dependencyOrder(space: SearchSpace, names: string[]): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...path.slice(path.indexOf(name)), name];
      fail(name, `Conditions form a cycle: ${cycle.join(' → ')}`);
    }
    state.set(name, 'visiting');
    const parent = space[name]!.when?.param;
    if (parent !== undefined) visit(parent, [...path, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of names) visit(name, []);
  return order;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return fail('', 'The search space is not valid JSON');
  }
}

function fail(param: string, message: string): never {
  throw new EngineError('invalid_param', message, param === '' ? undefined : { param });
}
