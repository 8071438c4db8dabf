import { describe, expect, it } from 'vitest';
import { formatTable } from './format-table.js';

describe('formatTable', () => {
  it('aligns columns two spaces apart, numbers right, without trailing spaces', () => {
    const text = formatTable(
      ['NAME', 'ROWS', 'NOTE'],
      [
        ['credit', 4454, 'loans'],
        ['x', 12, ''],
      ],
    );
    expect(text).toBe(['NAME    ROWS  NOTE', 'credit  4454  loans', 'x         12'].join('\n'));
  });

  it('prints key/value blocks without headers', () => {
    expect(
      formatTable(null, [
        ['id', 'ds_1'],
        ['description', 'x'],
      ]),
    ).toBe('id           ds_1\ndescription  x');
  });

  it('shows null and undefined as empty and flattens newlines', () => {
    expect(
      formatTable(
        ['A', 'B'],
        [
          [null, 'two\nlines'],
          [undefined, 'b'],
        ],
      ),
    ).toBe('A  B\n   two lines\n   b');
  });

  it('honours explicit right alignment', () => {
    expect(
      formatTable(
        ['K', 'V'],
        [
          ['a', 'xyz'],
          ['b', 'q'],
        ],
        { alignRight: [1] },
      ),
    ).toBe('K    V\na  xyz\nb    q');
  });

  it('treats string numbers as numbers', () => {
    expect(
      formatTable(
        ['M', 'V'],
        [
          ['auc', '0.8312'],
          ['n', '12'],
        ],
      ),
    ).toBe('M         V\nauc  0.8312\nn        12');
  });
});
