// Reads all of standard input as text, for `sql -`, `sql --file -` and `connections add --password-stdin`.

import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';

export async function readStdin(ctx: CliContext, what: string): Promise<string> {
  const { stdin } = ctx.io;
  if (!stdin) throw new CliError('no_stdin', `No standard input to read ${what} from.`);
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of stdin) text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}
