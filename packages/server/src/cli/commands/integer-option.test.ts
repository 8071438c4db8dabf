import { describe, expect, it } from 'vitest';
import { CliError } from '../cli-error.js';
import { integerOption } from './integer-option.js';

describe('integerOption', () => {
  it('reads whole numbers within the range', () => {
    expect(integerOption('--limit', '20', 1, 100)).toBe(20);
    expect(integerOption('--limit', ' 1 ', 1, 100)).toBe(1);
    expect(integerOption('--limit', '100', 1, 100)).toBe(100);
    expect(integerOption('--offset', '0', 0)).toBe(0);
    expect(integerOption('--offset', '123456789', 0)).toBe(123456789);
  });

  it('refuses fractions, words, blanks and values out of range, naming the option', () => {
    for (const text of ['1.5', 'ten', '', '0x10', '1e3', '0', '101', '-3']) {
      expect(() => integerOption('--limit', text, 1, 100), text).toThrow(CliError);
    }
    expect(() => integerOption('--limit', '0', 1, 100)).toThrow("--limit takes a whole number 1..100, not '0'.");
    expect(() => integerOption('--offset', '-1', 0)).toThrow("--offset takes a whole number at least 0, not '-1'.");
  });

  it('carries the invalid_option code', () => {
    try {
      integerOption('--depth', '99', 1, 10);
      expect.unreachable();
    } catch (err) {
      expect((err as CliError).code).toBe('invalid_option');
    }
  });
});
