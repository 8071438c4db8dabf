// The `modelyard` commander program: global options, every command, and output routed to the given streams.

import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import type { CliContext } from './cli-context.js';
import { registerConnectionsCommand } from './commands/connections.js';
import { registerDatasetsCommand } from './commands/datasets.js';
import { registerEndpointsCommand } from './commands/endpoints.js';
import { registerLineageCommand } from './commands/lineage.js';
import { registerLoginCommand } from './commands/login.js';
import { registerModelsCommand } from './commands/models.js';
import { registerExportCommand } from './commands/export.js';
import { registerServeCommand } from './commands/serve.js';
import { registerPredictCommand } from './commands/predict.js';
import { registerProjectsCommand } from './commands/projects.js';
import { registerRunsCommand } from './commands/runs.js';
import { registerSearchCommand } from './commands/search.js';
import { registerSqlCommand } from './commands/sql.js';
import { registerTrainCommand } from './commands/train.js';
import { registerUpCommand } from './up.js';
import { registerRunCommand } from './commands/run.js';
import { registerArtifactsCommand } from './commands/artifacts.js';
import { registerBatchCommand } from './commands/batch.js';
import { registerAlertsCommand } from './commands/alerts.js';
import { registerRetrainCommand } from './commands/retrain.js';
import { registerAccuracyCommand } from './commands/accuracy.js';

export function createProgram(ctx: CliContext): Command {
  const program = new Command('modelyard')
    .description('Modelyard: datasets, training, registry and serving from the command line')
    .version(packageVersion())
    .option('--project <name>', 'project to work in (default: $MODELYARD_PROJECT or demo)')
    .option('--url <url>', 'server URL (default: $MODELYARD_URL, the saved login, or http://127.0.0.1:7420)')
    .option('--token <token>', 'access token (default: $MODELYARD_TOKEN or the saved login)')
    .option('--json', 'print the API object(s) as one JSON document')
    .showHelpAfterError('(add --help for usage)')
    .configureHelp({ showGlobalOptions: true })
    // Set before the commands are added: subcommands copy these settings when created.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void ctx.io.stdout.write(text),
      writeErr: (text) => void ctx.io.stderr.write(text),
    });

  registerUpCommand(program);
  registerLoginCommand(program, ctx);
  registerProjectsCommand(program, ctx);
  registerDatasetsCommand(program, ctx);
  registerConnectionsCommand(program, ctx);
  registerSqlCommand(program, ctx);
  registerSearchCommand(program, ctx);
  registerLineageCommand(program, ctx);
  registerTrainCommand(program, ctx);
  registerRunsCommand(program, ctx);
  registerModelsCommand(program, ctx);
  registerExportCommand(program, ctx);
  registerServeCommand(program, ctx);
  registerEndpointsCommand(program, ctx);
  registerPredictCommand(program, ctx);
  registerRunCommand(program, ctx);
  registerArtifactsCommand(program, ctx);
  registerBatchCommand(program, ctx);
  registerAlertsCommand(program, ctx);
  registerRetrainCommand(program, ctx);
  registerAccuracyCommand(program, ctx);
  return program;
}

function packageVersion(): string {
  try {
    // src/cli and dist/cli both sit two levels below the package root.
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
