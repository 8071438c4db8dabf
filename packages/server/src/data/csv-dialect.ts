// Finds a delimited file's delimiter and field count from its first record, without reading the rest of the file.

import { open } from 'node:fs/promises';

export interface CsvDialect {
  delimiter: string;
  /** Fields in the first record (the header, usually). */
  fields: number;
  /** The first record's fields, unquoted and trimmed: the column names when the file has a header. */
  names: string[];
}

const CANDIDATES = [',', '\t', ';', '|'];
const HEAD_BYTES = 64 * 1024;

/**
 * DuckDB's own sniffer rejects a small file outright when one of its rows is malformed (it then cannot tell which
 * line is wrong), and can fall back to a one-column reading of a broken comma file. Fixing the delimiter from the
 * first record lets DuckDB's parser report the bad line instead. `forced` (e.g. a tab for `.tsv`) wins.
 */
export async function detectCsvDialect(path: string, forced?: string): Promise<CsvDialect> {
  const head = await readHead(path);
  const record = firstRecord(head);
  let best = { delimiter: forced ?? ',', fields: countOutsideQuotes(record, forced ?? ',') + 1 };
  if (forced === undefined) {
    for (const delimiter of CANDIDATES) {
      const fields = countOutsideQuotes(record, delimiter) + 1;
      if (fields > best.fields) best = { delimiter, fields };
    }
  }
  return { ...best, names: splitRecord(record, best.delimiter) };
}

/** A record's fields: split at delimiters outside double quotes, quotes removed ("" is one quote), trimmed. */
function splitRecord(record: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < record.length; i++) {
    const ch = record[i]!;
    if (ch === '"') {
      if (quoted && record[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = !quoted;
    } else if (!quoted && ch === delimiter) {
      fields.push(field.trim());
      field = '';
    } else field += ch;
  }
  fields.push(field.trim());
  return fields;
}

async function readHead(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
  } finally {
    await handle.close();
  }
}

/** The text of the first record: up to the first line break that is not inside double quotes. */
function firstRecord(text: string): string {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) return text.slice(0, i);
  }
  return text;
}

function countOutsideQuotes(record: string, delimiter: string): number {
  let quoted = false;
  let count = 0;
  for (const ch of record) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === delimiter) count++;
  }
  return count;
}
