// A server-side dataset source: one file, or a glob over many files of one format (e.g. a Hive-partitioned folder).

import { basename } from 'node:path';
import { badRequest } from '../errors.js';
import { isGlob, resolveAllowedGlob } from './allowed-glob.js';
import { resolveAllowedPath } from './allowed-path.js';
import type { IngestInput } from './ingest-file.js';
import { sourceFormatOf } from './source-format.js';

/**
 * Resolves a path or pattern inside the allowed roots to what `ingestFile` reads. A pattern's files must all have
 * one format (by extension); 400 `mixed_formats` otherwise.
 */
export async function resolveFileSource(pathOrPattern: string, roots: string[]): Promise<IngestInput> {
  if (!isGlob(pathOrPattern)) {
    const path = await resolveAllowedPath(pathOrPattern, roots);
    return { path, originalName: basename(path) };
  }
  const parts = await resolveAllowedGlob(pathOrPattern, roots);
  const first = parts[0]!;
  const kind = sourceFormatOf(first.relative).kind;
  const other = parts.find((part) => sourceFormatOf(part.relative).kind !== kind);
  if (other !== undefined) {
    throw badRequest(
      'mixed_formats',
      `Pattern '${pathOrPattern}' matches files of different formats ('${first.relative}', '${other.relative}'); ` +
        'narrow it to one extension.',
      { path: pathOrPattern },
    );
  }
  return { path: first.path, originalName: basename(first.relative), parts };
}
