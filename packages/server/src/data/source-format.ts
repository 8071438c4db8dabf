// Decides how DuckDB should read an uploaded or named file, from the extension of its original name.

import { extname } from 'node:path';
import { badRequest } from '../errors.js';

export type SourceFormat = { kind: 'csv'; delimiter?: string } | { kind: 'parquet' } | { kind: 'json' };

const FORMATS: Record<string, SourceFormat> = {
  '.csv': { kind: 'csv' },
  '.txt': { kind: 'csv' },
  '.tsv': { kind: 'csv', delimiter: '\t' },
  '.parquet': { kind: 'parquet' },
  '.json': { kind: 'json' },
  '.ndjson': { kind: 'json' },
  '.jsonl': { kind: 'json' },
};

/** Throws 400 `unsupported_format` for any other extension. */
export function sourceFormatOf(originalName: string): SourceFormat {
  const extension = extname(originalName).toLowerCase();
  const format = FORMATS[extension];
  if (format === undefined) {
    throw badRequest(
      'unsupported_format',
      `Cannot read '${originalName}': supported extensions are ${Object.keys(FORMATS).join(', ')}.`,
      { name: originalName, extension, supported: Object.keys(FORMATS) },
    );
  }
  return format;
}
