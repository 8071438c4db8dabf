#!/usr/bin/env node
// The `modelyard` executable: the CLI on the process's own streams.

import { runCli } from './run-cli.js';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  stdin: process.stdin,
});
