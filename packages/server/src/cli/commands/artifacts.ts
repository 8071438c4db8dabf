// `modelyard artifacts list|get|put`: a run's files, listed, downloaded and uploaded (streamed from disk).

import { createReadStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { formatTable } from '../format-table.js';

export function registerArtifactsCommand(program: Command, ctx: CliContext): void {
  const artifacts = program.command('artifacts').description("list, download and upload a run's files");
  const local = (path: string) => resolve(ctx.io.cwd ?? process.cwd(), path);

  artifacts
    .command('list <run> [path]')
    .description("one folder of the run's files (the root by default)")
    .action(async (runId: string, path: string | undefined, _opts: unknown, cmd: Command) => {
      const client = await ctx.client(cmd);
      const { items } = await client.listArtifacts(runId, path);
      ctx.print(cmd, items, () =>
        items.length === 0
          ? `No artifacts in ${path ?? 'the run'}.`
          : formatTable(
              ['PATH', 'BYTES'],
              items.map((a) => [a.isDir ? `${a.path}/` : a.path, a.bytes]),
              { alignRight: [1] },
            ),
      );
    });

  artifacts
    .command('get <run> <path>')
    .description('download one file of the run')
    .option('-o, --output <file>', 'where to write it (default: its name, in the current folder)')
    .action(async (runId: string, path: string, opts: { output?: string }, cmd: Command) => {
      const client = await ctx.client(cmd);
      const bytes = await client.downloadArtifact(runId, path);
      const target = local(opts.output ?? basename(path));
      await writeFile(target, bytes);
      ctx.print(
        cmd,
        { path, bytes: bytes.byteLength, file: target },
        () => `${path} → ${target} (${bytes.byteLength} bytes)`,
      );
    });

  artifacts
    .command('put <run> <file> [path]')
    .description('upload a local file as a file of the run (at `path`, default: its name)')
    .action(async (runId: string, file: string, path: string | undefined, _opts: unknown, cmd: Command) => {
      const client = await ctx.client(cmd);
      const source = local(file);
      const info = await stat(source).catch(() => undefined);
      if (!info?.isFile()) throw new CliError('file_not_found', `No file '${file}'.`);
      const body = Readable.toWeb(createReadStream(source)) as ReadableStream<Uint8Array>;
      const stored = await client.uploadArtifact(runId, path ?? basename(source), body);
      ctx.print(cmd, stored, () => `${file} → ${stored.path} (${stored.bytes} bytes)`);
    });
}
