// `modelyard up`: start the server in the foreground and stop it cleanly on SIGINT/SIGTERM.

import type { Command } from 'commander';

export function registerUpCommand(program: Command): void {
  program
    .command('up')
    .description('start the Modelyard server (embedded SQLite, DuckDB, local files, in-process workers)')
    .option('--port <port>', 'port to listen on (MODELYARD_PORT, default 7420)')
    .option('--host <host>', 'interface to bind (MODELYARD_HOST, default 127.0.0.1)')
    .option(
      '--data-dir <dir>',
      'where metadata, artifacts and snapshots live (MODELYARD_DATA_DIR, default ./.modelyard)',
    )
    .option('--database-url <url>', 'postgres://… to keep metadata in PostgreSQL (MODELYARD_DATABASE_URL)')
    .option('--no-demo', 'do not seed the demo project on first start')
    .action(async (opts: { port?: string; host?: string; dataDir?: string; databaseUrl?: string; demo: boolean }) => {
      // Loaded here, not at the top: other commands should not pay for Fastify and DuckDB at start-up.
      const { startServer } = await import('../start.js');
      const server = await startServer({
        port: opts.port,
        host: opts.host,
        dataDir: opts.dataDir,
        databaseUrl: opts.databaseUrl,
        ...(opts.demo === false && { seedDemo: false }),
      });
      const out = process.stderr;
      out.write(`\nModelyard is running at ${server.url}\n`);
      out.write(`  data directory: ${server.config.dataDir}\n`);
      if (server.generatedAdminToken) {
        out.write(`  admin token (shown once; also in ${server.tokenFile}, readable by you only):\n`);
        out.write(`    ${server.generatedAdminToken}\n`);
        out.write(`  sign in at ${server.url}/ or run: modelyard login --url ${server.url} --token <token>\n\n`);
      } else if (server.firstStart) {
        out.write('  admin token: the one in MODELYARD_ADMIN_TOKEN\n\n');
      } else {
        out.write('  reusing the existing data directory and users\n\n');
      }
      await new Promise<void>((resolve) => {
        const stop = (): void => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      out.write('Stopping Modelyard…\n');
      await server.close();
    });
}
