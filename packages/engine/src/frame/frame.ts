// An immutable set of equal-length named columns, the engine's unit of tabular data.
import { EngineError } from '../errors.js';
import { columnLength, type Column } from './column.js';

export class Frame {
  readonly nRows: number;
  readonly names: string[];
  readonly #columns: Map<string, Column>;

  private constructor(columns: Column[], nRows: number) {
    this.nRows = nRows;
    this.names = columns.map((c) => c.name);
    this.#columns = new Map(columns.map((c) => [c.name, c]));
  }

  /** Builds a frame; throws `length_mismatch` when columns differ in length, `duplicate_column` on a repeated name. */
  static fromColumns(columns: Column[]): Frame {
    const first = columns[0];
    const nRows = first === undefined ? 0 : columnLength(first);
    const seen = new Set<string>();
    for (const column of columns) {
      if (seen.has(column.name)) {
        throw new EngineError('duplicate_column', `Column "${column.name}" appears twice`, { column: column.name });
      }
      seen.add(column.name);
      const length = columnLength(column);
      if (length !== nRows) {
        throw new EngineError('length_mismatch', `Column "${column.name}" has ${length} rows, expected ${nRows}`, {
          column: column.name,
          length,
          expected: nRows,
        });
      }
    }
    return new Frame([...columns], nRows);
  }

  has(name: string): boolean {
    return this.#columns.has(name);
  }

  column(name: string): Column {
    const column = this.#columns.get(name);
    if (column === undefined) {
      throw new EngineError('unknown_column', `Unknown column "${name}"`, { column: name });
    }
    return column;
  }

  select(names: string[]): Frame {
    return new Frame(
      names.map((name) => this.column(name)),
      this.nRows,
    );
  }

  /** Copies the given rows (in the given order) into a new frame. */
  take(rows: Int32Array): Frame {
    let inOrder = rows.length === this.nRows;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (row < 0 || row >= this.nRows) {
        throw new EngineError('invalid_param', `Row ${row} is out of range 0..${this.nRows - 1}`, { row });
      }
      if (row !== i) inOrder = false;
    }
    // Frames are never written to, so every row in order is this frame: no copy (a training frame can be GBs).
    if (inOrder) return this;
    const columns = this.names.map((name): Column => {
      const column = this.column(name);
      if (column.kind === 'number') {
        const values = new Float64Array(rows.length);
        // Plain loop over typed arrays: the hot path when splitting large frames.
        for (let i = 0; i < rows.length; i++) values[i] = column.values[rows[i]!]!;
        return { kind: 'number', name, values };
      }
      const codes = new Int32Array(rows.length);
      for (let i = 0; i < rows.length; i++) codes[i] = column.codes[rows[i]!]!;
      return { kind: 'category', name, codes, dictionary: column.dictionary };
    });
    return new Frame(columns, rows.length);
  }
}
