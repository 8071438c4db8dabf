// Converts DuckDB's CSV "line" (a record number) into the physical line where that record starts.

import { createReadStream } from 'node:fs';

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * DuckDB numbers CSV errors by record: blank lines count, line breaks inside quoted fields do not. Editors number
 * physical lines, so this replays RFC 4180 quoting over the file (streamed, only on the error path) and returns the
 * physical line on which `record` starts; DuckDB's own number when the file ends first.
 */
export async function physicalLineOfRecord(path: string, record: number, delimiter: string): Promise<number> {
  if (!Number.isInteger(record) || record <= 1) return record;
  const delim = delimiter.charCodeAt(0);
  let line = 1;
  let records = 1;
  let quoted = false;
  let quoteSeen = false; // inside quotes, a quote that may be the first half of an escaped `""`
  let fieldStart = true;
  let afterCr = false;
  for await (const chunk of createReadStream(path, { encoding: 'utf8' }) as AsyncIterable<string>) {
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk.charCodeAt(i);
      if (afterCr) {
        afterCr = false;
        if (ch === LF) continue;
      }
      if (quoteSeen) {
        quoteSeen = false;
        if (ch === QUOTE) continue;
        quoted = false;
      }
      if (quoted) {
        if (ch === QUOTE) quoteSeen = true;
        else if (ch === LF || ch === CR) {
          line++;
          afterCr = ch === CR;
        }
        continue;
      }
      if (ch === LF || ch === CR) {
        line++;
        afterCr = ch === CR;
        fieldStart = true;
        if (++records === record) return line;
      } else if (ch === QUOTE && fieldStart) {
        quoted = true;
        fieldStart = false;
      } else {
        fieldStart = ch === delim;
      }
    }
  }
  return record;
}
