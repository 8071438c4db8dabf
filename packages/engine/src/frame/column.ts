// Column types of a frame: numbers as Float64Array (NaN = missing; the engine treats ±Infinity as missing too),
// categories as dictionary codes into a string dictionary (-1 = missing).

export type NumericColumn = { kind: 'number'; name: string; values: Float64Array };
export type CategoryColumn = { kind: 'category'; name: string; codes: Int32Array; dictionary: string[] };
export type Column = NumericColumn | CategoryColumn;

export function columnLength(column: Column): number {
  return column.kind === 'number' ? column.values.length : column.codes.length;
}
