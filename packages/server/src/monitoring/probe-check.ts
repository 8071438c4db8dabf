// Ground-truth probes, the pure part: whether a prediction meets a probe's expectation, and whether a probe set as
// sent is well-formed (every probe named once, with at least one expectation, and bounds that can hold).

import type { Prediction, Probe, ProbeExpectation, ProbeResult } from '@modelyard/client';
import { badRequest } from '../errors.js';

/** Probes per model at most: each scheduled run sends them all in one predict call. */
export const MAX_PROBES = 500;

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toPrecision(6).replace(/\.?0+$/, ''));

function within(what: string, actual: number, min: number | undefined, max: number | undefined): string | null {
  if (min !== undefined && !(actual >= min)) return `${what} ${fmt(actual)} is below ${fmt(min)}`;
  if (max !== undefined && !(actual <= max)) return `${what} ${fmt(actual)} is above ${fmt(max)}`;
  return null;
}

/** Every way `actual` misses `expect` (empty when it meets it). */
export function expectationFailures(expect: ProbeExpectation, actual: Prediction): string[] {
  const failures: string[] = [];
  const isClass = 'label' in actual;
  if (expect.label !== undefined) {
    if (!isClass) failures.push(`expected label '${expect.label}' but the model predicts a value`);
    else if (actual.label !== expect.label) failures.push(`label is '${actual.label}', expected '${expect.label}'`);
  }
  if (expect.probability !== undefined) {
    const { class: cls, min, max } = expect.probability;
    const p = isClass ? actual.probabilities[cls] : undefined;
    if (!isClass) failures.push(`expected a probability of '${cls}' but the model predicts a value`);
    else if (p === undefined) failures.push(`the model has no class '${cls}'`);
    else {
      const miss = within(`P(${cls})`, p, min, max);
      if (miss) failures.push(miss);
    }
  }
  if (expect.value !== undefined || expect.min !== undefined || expect.max !== undefined) {
    if (isClass) failures.push('expected a value but the model predicts a class');
    else {
      if (expect.value !== undefined) {
        const tolerance = expect.tolerance ?? 0;
        const diff = Math.abs(actual.value - expect.value);
        if (!(diff <= tolerance)) {
          failures.push(
            `value ${fmt(actual.value)} is ${fmt(diff)} from ${fmt(expect.value)} (tolerance ${fmt(tolerance)})`,
          );
        }
      }
      const miss = within('value', actual.value, expect.min, expect.max);
      if (miss) failures.push(miss);
    }
  }
  return failures;
}

/** The result of one probe: passed, with what the model said and why. */
export function checkProbe(probe: Probe, actual: Prediction): ProbeResult {
  const failures = expectationFailures(probe.expect, actual);
  return {
    name: probe.name,
    passed: failures.length === 0,
    actual,
    reason: failures.length === 0 ? describeExpectation(probe.expect) : failures.join('; '),
  };
}

/** A probe whose record the model could not score fails with the scoring problem as its reason. */
export function unscoredProbe(probe: Probe, reason: string): ProbeResult {
  return { name: probe.name, passed: false, actual: null, reason };
}

/** What a passing probe met, in words. */
export function describeExpectation(expect: ProbeExpectation): string {
  const parts: string[] = [];
  if (expect.label !== undefined) parts.push(`label '${expect.label}'`);
  if (expect.value !== undefined) parts.push(`value ${fmt(expect.value)} ± ${fmt(expect.tolerance ?? 0)}`);
  if (expect.min !== undefined || expect.max !== undefined) {
    parts.push(
      `value in [${expect.min === undefined ? '-∞' : fmt(expect.min)}, ${expect.max === undefined ? '∞' : fmt(expect.max)}]`,
    );
  }
  if (expect.probability !== undefined) {
    const { class: cls, min, max } = expect.probability;
    parts.push(`P(${cls}) in [${min === undefined ? 0 : fmt(min)}, ${max === undefined ? 1 : fmt(max)}]`);
  }
  return `Met ${parts.join(', ')}.`;
}

const invalid = (probe: string | null, problem: string, message: string) =>
  badRequest('invalid_probe', message, { ...(probe !== null && { probe }), problem });

/**
 * Checks a probe set beyond its JSON schema (which fixes the shapes): throws 400 `invalid_probe` with
 * `details.problem` (`duplicate_name`, `no_expectation`, `empty_record`, `tolerance_without_value`,
 * `empty_range`, `probability_without_bounds`, `probability_out_of_range`) and `details.probe`.
 */
export function checkProbeSet(probes: Probe[]): void {
  if (probes.length === 0) throw invalid(null, 'no_probes', 'A probe set needs at least one probe.');
  const names = new Set<string>();
  for (const { name, record, expect } of probes) {
    if (names.has(name)) throw invalid(name, 'duplicate_name', `Two probes are named '${name}'.`);
    names.add(name);
    if (Object.keys(record).length === 0) throw invalid(name, 'empty_record', `Probe '${name}' has an empty record.`);
    const { label, value, tolerance, min, max, probability } = expect;
    if ([label, value, min, max, probability].every((x) => x === undefined)) {
      throw invalid(
        name,
        'no_expectation',
        `Probe '${name}' expects nothing: give a label, a value, a min/max, or a class probability.`,
      );
    }
    if (tolerance !== undefined && value === undefined) {
      throw invalid(name, 'tolerance_without_value', `Probe '${name}' has a tolerance but no value.`);
    }
    if (min !== undefined && max !== undefined && min > max) {
      throw invalid(name, 'empty_range', `Probe '${name}' has min ${min} above max ${max}.`);
    }
    if (probability !== undefined) {
      const { min: pMin, max: pMax } = probability;
      if (pMin === undefined && pMax === undefined) {
        throw invalid(name, 'probability_without_bounds', `Probe '${name}' names a class but no min or max.`);
      }
      if ([pMin, pMax].some((p) => p !== undefined && (p < 0 || p > 1))) {
        throw invalid(name, 'probability_out_of_range', `Probe '${name}' has a probability bound outside [0, 1].`);
      }
      if (pMin !== undefined && pMax !== undefined && pMin > pMax) {
        throw invalid(name, 'empty_range', `Probe '${name}' has a probability min above its max.`);
      }
    }
  }
}
