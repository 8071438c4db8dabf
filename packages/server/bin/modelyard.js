#!/usr/bin/env node
// The `modelyard` command: a stable file for npm to link, running the compiled CLI (`npm run build` makes it).
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('error: Modelyard is not built yet; run `npm run build` (or `npm start`) in the repository first.');
  process.exit(1);
}
await import(main.href);
