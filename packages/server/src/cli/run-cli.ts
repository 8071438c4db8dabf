// Runs the CLI in-process on the given streams and answers the exit code; main.ts and the tests both call it.

import { CommanderError } from 'commander';
import { CliContext, type CliIo } from './cli-context.js';
import { createProgram } from './create-program.js';

/** Exit codes: 0 done, 1 failed (an API error, a failed run, bad input), 2 a usage error caught by commander. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const ctx = new CliContext(io);
  const program = createProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has already printed its message (or the help or version).
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
    }
    ctx.err(`error: ${oneLine(errorMessage(err))} (${errorCode(err)})`);
    if (io.env.MODELYARD_DEBUG === '1' && err instanceof Error && err.stack) ctx.err(err.stack);
    return 1;
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** ApiError and CliError carry a code; so do Node's system errors (ENOENT, EACCES). */
function errorCode(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' && err.code) {
    return err.code;
  }
  return 'internal_error';
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
