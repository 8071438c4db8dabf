// Keeps docs/errors.md in step with the code: every error code thrown anywhere must be documented there.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../', import.meta.url).pathname;

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(path)));
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** Codes as the code states them: helper calls, error constructors, and not-found object types. */
const PATTERNS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/\b(?:badRequest|unprocessable|conflict)\(\s*'([a-z0-9_]+)'/g, (m) => m[1]!],
  [/new ModelyardError\(\s*\d+,\s*'([a-z0-9_]+)'/g, (m) => m[1]!],
  [/new EngineError\(\s*'([a-z0-9_]+)'/g, (m) => m[1]!],
  [/new CliError\(\s*'([a-z0-9_]+)'/g, (m) => m[1]!],
  [/new ApiError\(\s*\d+,\s*'([a-z0-9_]+)'/g, (m) => m[1]!],
  [/\bcontentError\(\s*'([a-z0-9_]+)'/g, (m) => m[1]!],
  [/\bnotFound\(\s*'([a-z0-9_]+)'/g, (m) => `${m[1]!}_not_found`],
  [/\bcode: '([a-z0-9_]+)'/g, (m) => m[1]!],
  [/\bfailRun\(\s*'([a-z0-9_]+)'/g, (m) => m[1]!],
];

async function codesInSource(): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const pkg of ['engine', 'server', 'client']) {
    for (const file of await sourceFiles(join(ROOT, 'packages', pkg, 'src'))) {
      const text = await readFile(file, 'utf8');
      for (const [pattern, code] of PATTERNS) {
        for (const match of text.matchAll(pattern)) found.set(code(match as RegExpExecArray), file.slice(ROOT.length));
      }
    }
  }
  return found;
}

describe('docs/errors.md', () => {
  it('documents every error code the code can answer with', async () => {
    const doc = await readFile(join(ROOT, 'docs', 'errors.md'), 'utf8');
    const documented = new Set([...doc.matchAll(/^\|\s*`([a-z0-9_]+)`\s*\|/gm)].map((m) => m[1]));
    const found = await codesInSource();
    expect(found.size).toBeGreaterThan(20);
    const missing = [...found].filter(([code]) => !documented.has(code)).map(([code, file]) => `${code} (${file})`);
    expect(missing).toEqual([]);
  });
});
