// `modelyard connections list|add|show|test|rm`: the databases a project reads SQL datasets from.

import { collectAll, type Connection, type ConnectionKind, type CreateConnection } from '@modelyard/client';
import { Option, type Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { formatTable } from '../format-table.js';
import { formatDuration, formatTime } from '../format-value.js';
import { findConnection } from '../lookup.js';
import { integerOption } from './integer-option.js';
import { readStdin } from './read-stdin.js';

const KINDS: ConnectionKind[] = ['postgres', 'mysql', 'trino'];
const DEFAULT_PORTS: Record<ConnectionKind, number> = { postgres: 5432, mysql: 3306, trino: 8080 };

export const PASSWORD_ARGV_WARNING =
  'warning: a password given with --password shows in the process list and shell history; ' +
  'prefer --password-env VAR or --password-stdin.';

export interface AddConnectionOptions {
  kind: ConnectionKind;
  host: string;
  port?: string;
  database: string;
  user: string;
  passwordEnv?: string;
  passwordStdin?: boolean;
  password?: string;
  ssl?: boolean;
}

export function registerConnectionsCommand(program: Command, ctx: CliContext): void {
  const connections = program
    .command('connections')
    .description("the project's database connections (editors read them, admins add and remove them)");

  connections
    .command('list')
    .description("the project's connections")
    .action(async (_opts: unknown, cmd: Command) => {
      const client = await ctx.client(cmd);
      const project = ctx.project(cmd);
      const items = await collectAll((p) => client.listConnections(project, { ...p, limit: 500 }));
      ctx.print(cmd, items, () =>
        items.length === 0
          ? `No connections in project ${project}.`
          : formatTable(
              ['NAME', 'ID', 'KIND', 'HOST', 'PORT', 'DATABASE', 'USER', 'SSL', 'CREATED'],
              items.map((c) => [
                c.name,
                c.id,
                c.kind,
                c.host,
                c.port,
                c.database,
                c.user,
                c.ssl ? 'yes' : 'no',
                formatTime(c.createdAt),
              ]),
              // Only PORT: a host such as 127.0.0.1 would pass for a number.
              { alignRight: [4] },
            ),
      );
    });

  connections
    .command('add <name>')
    .description('add a database connection; the password is stored encrypted and never shown again')
    .addOption(new Option('--kind <kind>', 'database kind').choices(KINDS).makeOptionMandatory())
    .requiredOption('--host <host>', 'host name or address')
    .option('--port <port>', 'port (default: 5432 postgres, 3306 mysql, 8080 trino)')
    .requiredOption('--database <name>', 'database (trino: catalog or catalog.schema)')
    .requiredOption('--user <user>', 'user to connect as')
    .option('--password-env <var>', 'read the password from this environment variable (may be empty)')
    .option('--password-stdin', 'read the password from standard input (one trailing newline is dropped)')
    .option('--password <password>', 'the password itself: visible to other users of this machine, avoid')
    .option('--ssl', 'connect with TLS')
    .option('--no-ssl', 'connect without TLS')
    .action(async (name: string, opts: AddConnectionOptions, cmd: Command) => {
      const password = await readPassword(ctx, opts);
      const body: CreateConnection = {
        name,
        kind: opts.kind,
        host: opts.host,
        port: opts.port !== undefined ? integerOption('--port', opts.port, 1, 65535) : DEFAULT_PORTS[opts.kind],
        database: opts.database,
        user: opts.user,
        password,
        ...(opts.ssl !== undefined ? { ssl: opts.ssl } : {}),
      };
      const client = await ctx.client(cmd);
      const connection = await client.createConnection(ctx.project(cmd), body);
      ctx.print(cmd, connection, () => `Connection ${connection.name} (${connection.id}) to ${target(connection)}.`);
    });

  connections
    .command('show <name-or-id>')
    .description("a connection's settings (never its password)")
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const client = await ctx.client(cmd);
      const connection = await findConnection(client, ctx.project(cmd), ref);
      ctx.print(cmd, connection, () => showConnection(connection));
    });

  connections
    .command('test <name-or-id>')
    .description('connect and run a trivial query; exits 1 with the reason (connection_failed, ...) when that fails')
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const client = await ctx.client(cmd);
      const connection = await findConnection(client, ctx.project(cmd), ref);
      // A failure is an API error (422 connection_failed, authentication_failed, ...): one line on stderr, exit 1.
      const check = await client.testConnection(connection.id);
      ctx.print(
        cmd,
        check,
        () =>
          `Connection ${connection.name} works: ${target(connection)} answered in ${formatDuration(check.latencyMs)}.`,
      );
    });

  connections
    .command('rm <name-or-id>')
    .description('remove a connection (datasets read from it keep their versions but can no longer refresh)')
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const client = await ctx.client(cmd);
      const connection = await findConnection(client, ctx.project(cmd), ref);
      await client.deleteConnection(connection.id);
      ctx.print(cmd, connection, () => `Removed connection ${connection.name} (${connection.id}).`);
    });
}

/**
 * Exactly one of --password-env, --password-stdin and --password; the last one warns, since argv is readable by
 * every user of the machine. An empty password (trust authentication) comes from an empty variable.
 */
export async function readPassword(ctx: CliContext, opts: AddConnectionOptions): Promise<string> {
  const given = [opts.passwordEnv !== undefined, opts.passwordStdin === true, opts.password !== undefined];
  if (given.filter(Boolean).length !== 1) {
    throw new CliError(
      'password_required',
      'Give the password with exactly one of --password-env VAR, --password-stdin or --password.',
    );
  }
  if (opts.passwordEnv !== undefined) {
    const value = ctx.io.env[opts.passwordEnv];
    if (value === undefined) {
      throw new CliError('password_required', `The environment variable ${opts.passwordEnv} is not set.`);
    }
    return value;
  }
  if (opts.passwordStdin === true) return (await readStdin(ctx, 'the password')).replace(/\r?\n$/, '');
  ctx.err(PASSWORD_ARGV_WARNING);
  return opts.password ?? '';
}

function target(c: Connection): string {
  return `${c.kind} ${c.user}@${c.host}:${c.port}/${c.database}${c.ssl ? ' (TLS)' : ''}`;
}

function showConnection(c: Connection): string {
  return formatTable(null, [
    ['name', c.name],
    ['id', c.id],
    ['kind', c.kind],
    ['host', c.host],
    ['port', String(c.port)],
    ['database', c.database],
    ['user', c.user],
    ['ssl', c.ssl ? 'yes' : 'no'],
    ['created', formatTime(c.createdAt)],
    ['created by', c.createdBy],
  ]);
}
