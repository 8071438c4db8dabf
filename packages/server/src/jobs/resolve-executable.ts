// Finds the file a command's first word runs, as the shell would (PATH search, or a path with a slash), without a
// shell: a job whose program does not exist is refused before it is queued.

import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The absolute path of `name` (searched in `pathVariable` unless it has a slash, then taken from `cwd`), or undefined. */
export async function resolveExecutable(
  name: string,
  opts: { cwd: string; pathVariable: string | undefined },
): Promise<string | undefined> {
  if (name === '' || name.includes('\0')) return undefined;
  if (name.includes('/')) {
    const path = isAbsolute(name) ? name : resolve(opts.cwd, name);
    return (await isExecutableFile(path)) ? path : undefined;
  }
  for (const dir of (opts.pathVariable ?? '').split(delimiter)) {
    // An empty PATH entry means the working directory, as in POSIX shells.
    const candidate = join(dir === '' ? opts.cwd : resolve(opts.cwd, dir), name);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}
