// The edge bundle: the engine's own browser scorer (the code the platform scores with) and one artifact in a single
// ESM file with no imports, for a browser, a device or a serverless function.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ModelArtifact } from '@modelyard/engine';
import { ModelyardError } from '../errors.js';

let scorer: Promise<{ code: string; names: Map<string, string> }> | undefined;

/** The built browser scorer without its export statement, and the local name of each export. */
function loadScorer(): Promise<{ code: string; names: Map<string, string> }> {
  scorer ??= (async () => {
    // The package's main file is dist/index.js; the browser bundle is built beside it.
    const dist = dirname(createRequire(import.meta.url).resolve('@modelyard/engine'));
    const path = join(dist, 'browser', 'modelyard-scorer.js');
    let code: string;
    try {
      code = await readFile(path, 'utf8');
    } catch {
      throw new ModelyardError(503, 'edge_scorer_missing', 'The browser scorer is not built; run `npm run build`.');
    }
    // esbuild ends an ESM bundle with one `export{local as name,...};`.
    const match = /export\s*\{([^}]*)\};?\s*$/.exec(code);
    if (!match) throw new ModelyardError(500, 'internal', 'The browser scorer bundle has no export list.');
    const names = new Map<string, string>();
    for (const part of match[1]!.split(',')) {
      const [local, exported] = part.trim().split(/\s+as\s+/);
      if (local) names.set(exported ?? local, local);
    }
    return { code: code.slice(0, match.index), names };
  })();
  scorer.catch(() => (scorer = undefined));
  return scorer;
}

export async function edgeBundle(artifact: ModelArtifact, title: string): Promise<string> {
  const { code, names } = await loadScorer();
  const local = (name: string) => {
    const found = names.get(name);
    if (!found) throw new ModelyardError(500, 'internal', `The browser scorer does not export ${name}.`);
    return found;
  };
  return [
    `// ${title.replace(/[\r\n]+/g, ' ')}: Modelyard edge bundle (the engine's scorer and the model, no imports).`,
    '// predict(records) -> [{label, probabilities} | {value}]; validate(records) -> [] or the problems found.',
    code,
    `const __modelyardArtifact = ${local('parseArtifact')}(${JSON.stringify(artifact)});`,
    'export const features = __modelyardArtifact.features;',
    'export const classes = __modelyardArtifact.classes;',
    `export function validate(records) { return ${local('validateRecords')}(__modelyardArtifact, records); }`,
    `export function predict(records) { return ${local('predictRecords')}(__modelyardArtifact, records); }`,
    '',
  ].join('\n');
}
