import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { ENGINE_ERROR_CODES, EngineError } from './errors.js';

const here = new URL('.', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === '__fixtures__' ? [] : sources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('error catalogue', () => {
  it('EngineError carries code, message and details', () => {
    const error = new EngineError('unknown_column', 'nope', { column: 'x' });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('EngineError');
    expect([error.code, error.message, error.details]).toEqual(['unknown_column', 'nope', { column: 'x' }]);
    expect(new EngineError('invalid_param', 'x').details).toBeUndefined();
  });

  it('README.md lists exactly the codes the engine declares', () => {
    const readme = readFileSync(join(here, '..', 'README.md'), 'utf8');
    const section = readme.split('## Error codes')[1] ?? '';
    const listed = [...section.matchAll(/^\| `([a-z_]+)`\s*\|/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...ENGINE_ERROR_CODES].sort());
  });

  it('every code thrown in the sources is declared, and every declared code is thrown', () => {
    const thrown = new Set<string>();
    for (const file of sources(here)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/new EngineError\(\s*'([a-z_]+)'/g)) thrown.add(m[1]!);
    }
    expect([...thrown].sort()).toEqual([...ENGINE_ERROR_CODES].sort());
  });
});
