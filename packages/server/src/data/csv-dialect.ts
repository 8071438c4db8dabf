// Finds a delimited file's delimiter and field count from its first record, without reading the rest of the file.

import { open } from 'node:fs/promises';

export interface CsvDialect {
  delimiter: string;
  /** Fields in the first record (the header, usually). */
  fields: number;
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
  if (forced !== undefined) return { delimiter: forced, fields: countOutsideQuotes(record, forced) + 1 };
  let best = { delimiter: ',', fields: 1 };
  for (const delimiter of CANDIDATES) {
    const fields = countOutsideQuotes(record, delimiter) + 1;
    if (fields > best.fields) best = { delimiter, fields };
  }
  return best;
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
