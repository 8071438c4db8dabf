// `modelyard export <model@version|model@alias> --format js|java|sql|onnx|edge [--out file]`, and
// `modelyard models import-onnx <name> <file.onnx>`.

import { readFile, writeFile } from 'node:fs/promises';
import type { ExportFormat } from '@modelyard/client';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { findModelByName } from '../lookup.js';

const FORMATS: ExportFormat[] = ['js', 'java', 'sql', 'onnx', 'edge'];

interface ExportOptions {
  format: string;
  out?: string;
  dialect?: string;
  table?: string;
}

export function registerExportCommand(program: Command, ctx: CliContext): void {
  program
    .command('export <ref>')
    .description('write a model version as deployable code or ONNX (ref: name@version or name@alias)')
    .requiredOption('--format <format>', `one of ${FORMATS.join(', ')}`)
    .option('--out <file>', 'write here (default: standard output; ONNX needs a file)')
    .option('--dialect <dialect>', 'SQL: duckdb or postgres', 'duckdb')
    .option('--table <table>', 'SQL: the table to score', 'input')
    .action(async (ref: string, opts: ExportOptions, cmd: Command) => {
      const format = opts.format as ExportFormat;
      if (!FORMATS.includes(format)) {
        throw new CliError('invalid_format', `--format must be one of ${FORMATS.join(', ')}, not '${opts.format}'.`);
      }
      if (opts.dialect !== 'duckdb' && opts.dialect !== 'postgres') {
        throw new CliError('invalid_dialect', `--dialect must be duckdb or postgres, not '${opts.dialect}'.`);
      }
      if (format === 'onnx' && opts.out === undefined) {
        throw new CliError('out_required', 'ONNX is binary: give --out <file>.');
      }
      const match = /^(.+)@([A-Za-z0-9_-]+)$/.exec(ref);
      if (!match) throw new CliError('invalid_model_ref', `'${ref}' is not name@version or name@alias.`);
      const [, name, selector] = match as unknown as [string, string, string];
      const client = await ctx.client(cmd);
      const project = ctx.project(cmd);
      const model = await findModelByName(client, project, name);
      if (!model) throw new CliError('model_not_found', `No model '${name}' in project ${project}.`);
      const version = /^\d+$/.test(selector) ? Number(selector) : model.aliases[selector];
      if (version === undefined) throw new CliError('alias_not_found', `Model ${name} has no alias '${selector}'.`);
      const bytes = await client.exportModel(model.id, version, {
        format,
        ...(format === 'sql' && { dialect: opts.dialect, table: opts.table ?? 'input' }),
      });
      if (opts.out === undefined) {
        process.stdout.write(bytes);
        return;
      }
      await writeFile(opts.out, bytes);
      ctx.print(
        cmd,
        { model: name, version, format, file: opts.out, bytes: bytes.length },
        () => `Wrote ${name}@${version} as ${format} to ${opts.out} (${bytes.length.toLocaleString('en-US')} bytes).`,
      );
    });
}

export function registerImportOnnxCommand(models: Command, ctx: CliContext): void {
  models
    .command('import-onnx <name> <file>')
    .description('register an ONNX file (from any framework) as a new version of a model')
    .option('--alias <alias>', 'point this alias at the new version')
    .action(async (name: string, file: string, opts: { alias?: string }, cmd: Command) => {
      const client = await ctx.client(cmd);
      const project = ctx.project(cmd);
      let bytes: Uint8Array;
      try {
        bytes = await readFile(file);
      } catch {
        throw new CliError('file_not_found', `Cannot read ${file}.`);
      }
      const model = (await findModelByName(client, project, name)) ?? (await client.createModel(project, { name }));
      const version = await client.importOnnx(model.id, bytes, { name: file.split('/').pop() ?? file });
      if (opts.alias) await client.setAlias(model.id, opts.alias, version.version);
      ctx.print(
        cmd,
        version,
        () =>
          `Imported ${file} as ${name} version ${version.version}${opts.alias ? `; alias ${opts.alias} → ${version.version}` : ''}.`,
      );
    });
}
