import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { collectParam, parseParamValue } from './parse-param.js';

describe('parseParamValue', () => {
  it('recognises numbers and booleans and keeps the rest as strings', () => {
    expect(parseParamValue('0.001')).toBe(0.001);
    expect(parseParamValue('42')).toBe(42);
    expect(parseParamValue('-1e-3')).toBe(-0.001);
    expect(parseParamValue('.5')).toBe(0.5);
    expect(parseParamValue('true')).toBe(true);
    expect(parseParamValue('false')).toBe(false);
    expect(parseParamValue('l2')).toBe('l2');
    expect(parseParamValue('')).toBe('');
    expect(parseParamValue('1.2.3')).toBe('1.2.3');
  });
});

describe('collectParam', () => {
  it('accumulates key=value pairs, splitting at the first =', () => {
    const a = collectParam('lambda=0.01');
    expect(collectParam('expr=a=b', a)).toEqual({ lambda: 0.01, expr: 'a=b' });
  });

  it('rejects a pair without a key', () => {
    expect(() => collectParam('lambda')).toThrow(InvalidArgumentError);
    expect(() => collectParam('=1')).toThrow(InvalidArgumentError);
  });
});
