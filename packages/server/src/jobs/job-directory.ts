// The working folder a command job asks for: an existing folder inside the server's data roots, by its real path (so
// `..` and symlinks cannot escape them).

import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { insideAny, realRootsOf } from '../data/allowed-path.js';
import { badRequest } from '../errors.js';

/** The real path of `input` (absolute, or relative to the first root), or 400 `path_not_allowed` / `not_a_directory`. */
export async function resolveJobDirectory(input: string, roots: string[]): Promise<string> {
  const notAllowed = () =>
    badRequest('path_not_allowed', `Path '${input}' is outside the allowed data roots.`, { path: input });
  if (input === '' || input.includes('\0') || roots.length === 0) throw notAllowed();
  const realRoots = await realRootsOf(roots);
  const candidate = isAbsolute(input) ? resolve(input) : resolve(roots[0]!, input);
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    // Missing folders outside the roots read like any other outside path: nothing is learnt about them.
    throw insideAny(candidate, [...roots.map((r) => resolve(r)), ...realRoots]) ? notADirectory(input) : notAllowed();
  }
  if (!insideAny(real, realRoots)) throw notAllowed();
  if (!(await stat(real)).isDirectory()) throw notADirectory(input);
  return real;
}

const notADirectory = (path: string) =>
  badRequest('not_a_directory', `'${path}' is not a folder inside the allowed data roots.`, { path });
