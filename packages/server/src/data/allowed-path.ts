// Resolves a caller-supplied file path to a real file inside one of the configured data roots, or refuses it.

import { realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { ModelyardError, badRequest } from '../errors.js';

/**
 * Returns the real path of the regular file `input` names, provided it lies inside one of `roots` once `..` segments
 * and symlinks (of the file and of the roots) are resolved. A relative `input` is taken relative to each root in turn.
 *
 * Errors: 400 `path_not_allowed` for anything outside the roots (also when the outside target is missing, so a caller
 * cannot probe which files exist elsewhere), 404 `file_not_found` for a missing file inside a root, 400 `not_a_file`
 * for a directory or another non-regular file.
 */
export async function resolveAllowedPath(input: string, roots: string[]): Promise<string> {
  if (typeof input !== 'string' || input.length === 0 || input.includes('\0')) throw notAllowed(String(input));
  const realRoots = await realRootsOf(roots);
  if (realRoots.length === 0) throw notAllowed(input);
  const candidates = isAbsolute(input) ? [resolve(input)] : roots.map((root) => resolve(root, input));
  let firstError: ModelyardError | undefined;
  for (const candidate of candidates) {
    try {
      return await resolveCandidate(
        input,
        candidate,
        roots.map((root) => resolve(root)),
        realRoots,
      );
    } catch (error) {
      if (!(error instanceof ModelyardError)) throw error;
      firstError ??= error;
    }
  }
  throw firstError ?? notAllowed(input);
}

async function resolveCandidate(
  input: string,
  candidate: string,
  lexicalRoots: string[],
  realRoots: string[],
): Promise<string> {
  // Refuse before touching the filesystem when even the spelled-out path is outside every root.
  if (!insideAny(candidate, lexicalRoots) && !insideAny(candidate, realRoots)) throw notAllowed(input);
  let real: string;
  try {
    real = await realpath(candidate);
  } catch (error) {
    if (isMissing(error)) {
      // Say "not found" only when the part that does exist resolves inside a root; otherwise a symlink inside a root
      // would let the caller learn which files are missing outside it.
      const existing = await realExistingAncestor(candidate);
      if (existing !== undefined && insideAny(existing, realRoots)) throw fileNotFound(input);
    }
    throw notAllowed(input);
  }
  if (!insideAny(real, realRoots)) throw notAllowed(input);
  const info = await stat(real);
  if (!info.isFile()) throw badRequest('not_a_file', `'${input}' is not a regular file.`, { path: input });
  return real;
}

export async function realRootsOf(roots: string[]): Promise<string[]> {
  const real: string[] = [];
  for (const root of roots) {
    try {
      real.push(await realpath(resolve(root)));
    } catch {
      // A configured root that does not exist holds no files; skip it rather than fail every request.
    }
  }
  return real;
}

export async function realExistingAncestor(path: string): Promise<string | undefined> {
  let current = dirname(path);
  for (;;) {
    try {
      return await realpath(current);
    } catch (error) {
      if (!isMissing(error)) return undefined;
      const parent = dirname(current);
      if (parent === current) return undefined;
      current = parent;
    }
  }
}

export function insideAny(path: string, roots: string[]): boolean {
  return roots.some((root) => {
    const rel = relative(root, path);
    return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
  });
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function notAllowed(path: string): ModelyardError {
  return badRequest('path_not_allowed', `Path '${path}' is outside the allowed data roots.`, { path });
}

function fileNotFound(path: string): ModelyardError {
  return new ModelyardError(404, 'file_not_found', `No file '${path}'.`, { path });
}
