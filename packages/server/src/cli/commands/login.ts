// `modelyard login`: checks a token against the server and saves it for later commands.

import type { Command } from 'commander';
import { saveLogin } from '../cli-config.js';
import { DEFAULT_URL, trimUrl, type CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';

export function registerLoginCommand(program: Command, ctx: CliContext): void {
  program
    .command('login')
    .description('check a token with the server and save url + token for later commands')
    .action(async (_opts: unknown, cmd: Command) => {
      const flags = ctx.flags(cmd);
      const { env } = ctx.io;
      const url = trimUrl(flags.url || env.MODELYARD_URL || DEFAULT_URL);
      const token = flags.token || env.MODELYARD_TOKEN;
      if (!token) throw new CliError('missing_token', 'login needs --token <token> (or MODELYARD_TOKEN).');
      const me = await ctx.clientFor(url, token).me();
      const file = await saveLogin(env, { url, token });
      ctx.print(cmd, me, () => `Logged in to ${url} as ${me.user.name}; saved to ${file}.`);
    });
}
