import { describe, expect, it } from 'vitest';
import { readErrorDetails } from './read-error.js';

describe('readErrorDetails', () => {
  it('takes the line and reason from a DuckDB CSV error and hides the path', () => {
    const message =
      'Invalid Input Error: CSV Error on Line: 25001\nOriginal Line: 1,2,3,4\nExpected Number of Columns: 3 Found: 4\n' +
      '  file = /srv/uploads/x.csv\n';
    expect(readErrorDetails(message, '/srv/uploads/x.csv')).toEqual({
      line: 25001,
      reason: 'Expected Number of Columns: 3 Found: 4',
    });
  });

  it('reads JSON line numbers and falls back to the first line without the path', () => {
    expect(
      readErrorDetails(
        'Invalid Input Error: Malformed JSON in file "/a/b.json", at byte 6 in line 3: unexpected end of data. ',
        '/a/b.json',
      ),
    ).toEqual({ line: 3, reason: 'unexpected end of data.' });
    expect(readErrorDetails('IO Error: Cannot open "/a/b.csv"\nmore', '/a/b.csv')).toEqual({
      reason: 'Cannot open "<file>"',
    });
  });
});
