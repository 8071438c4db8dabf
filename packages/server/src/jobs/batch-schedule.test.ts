import { describe, expect, it } from 'vitest';
import { checkSchedule, nextRunAfter } from './batch-schedule.js';

describe('batch schedules', () => {
  it('accepts croner expressions with or without seconds', () => {
    expect(() => checkSchedule('*/5 * * * *')).not.toThrow();
    expect(() => checkSchedule('* * * * * *')).not.toThrow();
    expect(nextRunAfter('0 * * * *', new Date('2026-01-01T10:20:00Z'))).toBe('2026-01-01T11:00:00.000Z');
    expect(nextRunAfter('* * * * * *', new Date('2026-01-01T10:20:00.400Z'))).toBe('2026-01-01T10:20:01.000Z');
  });

  it('refuses what croner cannot read, with 400 invalid_schedule', () => {
    for (const bad of ['every tuesday', '61 * * * *', '', '* * *']) {
      expect(() => checkSchedule(bad)).toThrowError(expect.objectContaining({ status: 400, code: 'invalid_schedule' }));
    }
  });
});
