import { describe, expect, it } from 'vitest';
import { formatDuration, formatMetric, formatTime, shortVersion } from './format-value.js';

describe('formatMetric', () => {
  it('shows 4 decimals', () => {
    expect(formatMetric(0.831234)).toBe('0.8312');
    expect(formatMetric(0.8)).toBe('0.8000');
    expect(formatMetric(1234.56789)).toBe('1234.5679');
    expect(formatMetric(-0.25)).toBe('-0.2500');
  });

  it('keeps 4 significant digits for tiny values and integers as they are', () => {
    expect(formatMetric(0.0000123456)).toBe('0.00001235');
    expect(formatMetric(3563)).toBe('3563');
    expect(formatMetric(0)).toBe('0');
  });

  it('handles missing and non-finite values', () => {
    expect(formatMetric(undefined)).toBe('');
    expect(formatMetric(null)).toBe('');
    expect(formatMetric(NaN)).toBe('NaN');
    expect(formatMetric(Infinity)).toBe('Infinity');
  });
});

describe('other formats', () => {
  it('formats times, versions and durations', () => {
    expect(formatTime('2026-11-25T01:02:03.456Z')).toBe('2026-11-25 01:02:03');
    expect(formatTime(null)).toBe('');
    expect(shortVersion('0123456789abcdef0123')).toBe('0123456789ab');
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(2150)).toBe('2.1s');
    expect(formatDuration(null)).toBe('');
  });
});
