// Starts a worker thread on one of this package's modules, under the compiled JS or the TypeScript sources alike.

import { Worker } from 'node:worker_threads';

/**
 * `moduleUrl` names the worker's .js file next to the caller (`new URL('./x.js', import.meta.url)`). Under the
 * TypeScript sources (tests, dev, benches) the worker registers tsx and loads the .ts file instead.
 */
export function startModuleWorker(moduleUrl: URL, callerUrl: string): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(moduleUrl);
  const source = moduleUrl.href.replace(/\.js$/, '.ts');
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(bootstrap, { eval: true });
}
