// Expands a caller-supplied glob (`sales/year=*/*.parquet`, `logs/**/*.csv`) to the real files it matches inside the
// configured data roots, for datasets made of many files such as Hive-partitioned folders.

import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { ModelyardError, badRequest } from '../errors.js';
import { insideAny, realExistingAncestor, realRootsOf } from './allowed-path.js';

/** `*`, `?` and `[…]` make a path a pattern; `**` matches any number of folders. */
export const isGlob = (path: string): boolean => /[*?[]/.test(path);

export interface GlobMatch {
  /** The real path of the file. */
  path: string;
  /** Its path below the pattern's fixed folder, with `/` separators (keeps Hive `key=value` folders). */
  relative: string;
}

export interface GlobLimits {
  /** Most files a pattern may match. */
  maxFiles: number;
  /** Most folder entries looked at while matching. */
  maxEntries: number;
}

const DEFAULT_LIMITS: GlobLimits = { maxFiles: 10_000, maxEntries: 200_000 };

/**
 * The files `pattern` matches, sorted by relative path (so the same files always make the same snapshot). The fixed
 * part before the first wildcard must resolve inside a root; folders reached through symlinks are not entered, and a
 * matched symlinked file must resolve inside a root too. Names starting with `.` match only a pattern that spells
 * the dot.
 *
 * Errors: 400 `path_not_allowed` outside the roots, 404 `file_not_found` when nothing matches, 400 `too_many_files`
 * past the limits.
 */
export async function resolveAllowedGlob(
  pattern: string,
  roots: string[],
  limits: GlobLimits = DEFAULT_LIMITS,
): Promise<GlobMatch[]> {
  if (pattern.includes('\0') || pattern.split('/').includes('..')) throw notAllowed(pattern);
  const realRoots = await realRootsOf(roots);
  const segments = pattern.split('/').filter((s, i) => s !== '' && (s !== '.' || i === 0));
  const firstWild = segments.findIndex(isGlob);
  const fixed = segments.slice(0, firstWild).join('/');
  const bases = isAbsolute(pattern) ? [resolve('/', fixed)] : roots.map((root) => resolve(root, fixed));
  const lexicalRoots = roots.map((root) => resolve(root));
  for (const candidate of bases) {
    if (!insideAny(candidate, lexicalRoots) && !insideAny(candidate, realRoots)) continue;
    let base: string;
    try {
      base = await realpath(candidate);
    } catch {
      const existing = await realExistingAncestor(candidate);
      if (existing !== undefined && insideAny(existing, realRoots)) throw noMatch(pattern);
      continue;
    }
    if (!insideAny(base, realRoots)) continue;
    const matches: GlobMatch[] = [];
    const budget = { entries: 0 };
    await walk(base, '', segments.slice(firstWild), { matches, budget, limits, realRoots, pattern });
    if (matches.length === 0) throw noMatch(pattern);
    return matches.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
  }
  throw notAllowed(pattern);
}

interface WalkState {
  matches: GlobMatch[];
  budget: { entries: number };
  limits: GlobLimits;
  realRoots: string[];
  pattern: string;
}

async function walk(dir: string, relative: string, rest: string[], state: WalkState): Promise<void> {
  const [segment, ...tail] = rest;
  if (segment === undefined) return;
  if (segment === '**') {
    // Zero folders, then each folder below (dot-folders and symlinked folders are not entered).
    await walk(dir, relative, tail, state);
    for (const entry of await entries(dir, state)) {
      if (entry.isDirectory() && !entry.name.startsWith('.')) {
        await walk(join(dir, entry.name), join2(relative, entry.name), rest, state);
      }
    }
    return;
  }
  const matcher = segmentMatcher(segment);
  for (const entry of await entries(dir, state)) {
    if (!matcher(entry.name)) continue;
    const path = join(dir, entry.name);
    if (tail.length > 0) {
      if (entry.isDirectory()) await walk(path, join2(relative, entry.name), tail, state);
      continue;
    }
    const real = entry.isFile() ? path : entry.isSymbolicLink() ? await realFile(path) : undefined;
    if (real === undefined || !insideAny(real, state.realRoots)) continue;
    state.matches.push({ path: real, relative: join2(relative, entry.name) });
    if (state.matches.length > state.limits.maxFiles) {
      throw tooMany(state.pattern, `more than ${state.limits.maxFiles} files match`);
    }
  }
}

async function entries(dir: string, state: WalkState): Promise<Dirent[]> {
  const list = await readdir(dir, { withFileTypes: true });
  state.budget.entries += list.length;
  if (state.budget.entries > state.limits.maxEntries) {
    throw tooMany(state.pattern, `matching looked at more than ${state.limits.maxEntries} folder entries`);
  }
  return list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function realFile(path: string): Promise<string | undefined> {
  try {
    const real = await realpath(path);
    return (await stat(real)).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

const join2 = (a: string, b: string): string => (a === '' ? b : `${a}/${b}`);

/** One path segment's wildcards as a whole-name test: `*`, `?`, `[abc]`, `[a-z]`, `[!x]`. */
export function segmentMatcher(segment: string): (name: string) => boolean {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) {
        source += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      source += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, (m) => `\\${m}`)}]`;
      i = close;
    } else source += c.replace(/[.+^${}()|\\/]/g, (m) => `\\${m}`);
  }
  const regex = new RegExp(`^${source}$`);
  const dotExplicit = segment.startsWith('.');
  return (name) => (dotExplicit || !name.startsWith('.')) && regex.test(name);
}

function notAllowed(path: string): ModelyardError {
  return badRequest('path_not_allowed', `Path '${path}' is outside the allowed data roots.`, { path });
}

function noMatch(pattern: string): ModelyardError {
  return new ModelyardError(404, 'file_not_found', `No file matches '${pattern}'.`, { path: pattern });
}

function tooMany(pattern: string, why: string): ModelyardError {
  return badRequest('too_many_files', `Pattern '${pattern}' is too broad: ${why}. Narrow it down.`, {
    path: pattern,
  });
}
