import { describe, expect, it } from 'vitest';
import { quoteIdentifier, quoteLiteral } from './sql-quote.js';

describe('sql quoting', () => {
  it('doubles the quote character and refuses NUL', () => {
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(quoteIdentifier('my "col"')).toBe('"my ""col"""');
    expect(() => quoteLiteral('a\0b')).toThrow();
    expect(() => quoteIdentifier('a\0b')).toThrow();
  });
});
