// The data catalog through the `modelyard` CLI against a real server: search across projects (and only those the
// caller may view), the SQL workbench with derived datasets, database connections whose password never shows in any
// output, SQL datasets on a real PostgreSQL with refresh, and lineage.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import {
  ModelyardClient,
  type Connection,
  type ConnectionCheck,
  type Dataset,
  type LineageGraph,
  type Run,
  type SearchHit,
  type SqlResult,
} from '@modelyard/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../packages/server/src/cli/run-cli.js';
import { TEST_POSTGRES_URL } from '../../packages/server/src/connectors/test-connections.js';
import { CREDIT_CSV } from '../helpers/golden-data.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const PASSWORD = 'tr0ub4dor-and-3-catalog-9917';
const TABLE = `modelyard_cli_catalog_${process.pid}`;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

interface CliOptions {
  env?: Record<string, string>;
  stdin?: string;
}

let server: TestServer;
let configDir: string;
let viewerToken: string;
/** Everything every CLI call printed, to prove the password never appears in it. */
let transcript = '';

/** Runs the CLI in-process as the saved admin login in project `catalog`, unless `env` says otherwise. */
async function cli(argv: string[], opts: CliOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    env: { MODELYARD_CONFIG_DIR: configDir, MODELYARD_PROJECT: 'catalog', HOME: configDir, ...opts.env },
    ...(opts.stdin !== undefined ? { stdin: Readable.from([opts.stdin]) } : {}),
    cwd: configDir,
  });
  transcript += `${stdout}\n${stderr}\n`;
  return { code, stdout, stderr };
}

/** Runs a --json command that must succeed and answers its one JSON document. */
async function cliJson<T>(argv: string[], opts: CliOptions = {}): Promise<T> {
  const r = await cli([...argv, '--json'], opts);
  if (r.code !== 0) throw new Error(`modelyard ${argv.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** A failure: non-zero exit, nothing on stdout, and exactly one stderr line ending in the code. */
function expectOneLineError(r: CliResult, code: string): void {
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(new RegExp(`^error: [^\\n]*\\(${code}\\)\\n$`));
}

beforeAll(async () => {
  configDir = await mkdtemp(join(tmpdir(), 'modelyard-cli-catalog-'));
  server = await startTestServer({ demo: false });
  await cliJson(['login', '--url', server.url, '--token', server.token]);
  await cliJson(['projects', 'create', 'catalog']);
  await cliJson(['projects', 'create', 'vault']);
  await cliJson(['datasets', 'add', CREDIT_CSV, '--name', 'credit']);
  await writeFile(join(configDir, 'ledger.csv'), 'account,balance\nzurich-7,100\ngeneva-2,250\n');
  await cliJson(['datasets', 'add', 'ledger.csv', '--name', 'hidden_ledger', '--project', 'vault']);

  // A viewer of `catalog` only: no role at all in `vault`.
  const admin = new ModelyardClient({ baseUrl: server.url, token: server.token });
  const viewer = await admin.createUser({ name: 'vera' });
  viewerToken = (await admin.createToken(viewer.id, 'cli')).token;
  await admin.setMember('catalog', viewer.id, 'viewer');
}, 120_000);

afterAll(async () => {
  await server?.close();
  await rm(configDir, { recursive: true, force: true });
});

describe('modelyard search', () => {
  it('finds the uploaded dataset and its columns', async () => {
    const hits = await cliJson<SearchHit[]>(['search', 'credit']);
    expect(hits).toContainEqual(
      expect.objectContaining({ kind: 'dataset', name: 'credit', projectName: 'catalog', match: 'name' }),
    );
    const columns = await cliJson<SearchHit[]>(['search', 'income', '--kind', 'column']);
    expect(columns.map((h) => [h.kind, h.datasetName, h.name])).toEqual([['column', 'credit', 'Income']]);
    expect(await cliJson<SearchHit[]>(['search', 'credit', '--kind', 'column,run'])).toEqual([]);

    const human = await cli(['search', 'Income']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^KIND\s+PROJECT\s+NAME\s+MATCH\s+ID\n/);
    expect(human.stdout).toMatch(/\ncolumn\s+catalog\s+credit\.Income\s+column\s+ds_\w+\n/);
  });

  it('searches every project the caller may view, not only --project', async () => {
    const hits = await cliJson<SearchHit[]>(['search', 'hidden_ledger', '--project', 'catalog']);
    expect(hits.map((h) => [h.kind, h.projectName])).toEqual([['dataset', 'vault']]);
  });

  it("never shows a viewer another project's dataset, nor its columns", async () => {
    const env = { MODELYARD_TOKEN: viewerToken };
    expect(await cliJson<SearchHit[]>(['search', 'hidden_ledger'], { env })).toEqual([]);
    expect(await cliJson<SearchHit[]>(['search', 'balance'], { env })).toEqual([]);
    const own = await cliJson<SearchHit[]>(['search', 'credit'], { env });
    expect(own.map((h) => h.name)).toContain('credit');
    const human = await cli(['search', 'hidden_ledger'], { env });
    expect([human.code, human.stdout]).toEqual([0, "Nothing matches 'hidden_ledger'.\n"]);
  });

  it('follows the pages with --all, and says when there are more without it', async () => {
    const everything = await cliJson<SearchHit[]>(['search', 'e', '--limit', '100']);
    expect(everything.length).toBeGreaterThan(5);
    expect(await cliJson<SearchHit[]>(['search', 'e', '--limit', '2', '--all'])).toEqual(everything);
    const first = await cli(['search', 'e', '--limit', '2']);
    expect(first.stdout.trimEnd().split('\n')).toHaveLength(1 + 2 + 2);
    expect(first.stdout).toMatch(/More hits: add --all, or raise --limit\.\n$/);
  });

  it('refuses unknown kinds and bad limits in one line', async () => {
    expectOneLineError(await cli(['search', 'x', '--kind', 'table']), 'invalid_option');
    expectOneLineError(await cli(['search', 'x', '--limit', '0']), 'invalid_option');
  });
});

describe('modelyard sql', () => {
  it('prints a count as a table', async () => {
    const r = await cli(['sql', 'SELECT count(*) AS n FROM credit']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {3}n\n4454\n\n1 row in \d+(ms|\.\ds)\n$/);
    const json = await cliJson<SqlResult>(['sql', 'SELECT count(*) AS n FROM credit']);
    expect(json.columns).toEqual([{ name: 'n', type: 'BIGINT' }]);
    expect(Number(json.rows[0]?.[0])).toBe(4454);
  });

  it('pages with --limit and --offset, and reads the query from a file or stdin', async () => {
    const query = 'SELECT Seniority, Income FROM credit ORDER BY Seniority, Income, Amount, Price, Age, Time';
    const all = await cliJson<SqlResult>(['sql', query, '--limit', '8']);
    expect(all.rows).toHaveLength(8);
    const page = await cliJson<SqlResult>(['sql', query, '--limit', '3', '--offset', '4']);
    expect(page.rows).toEqual(all.rows.slice(4, 7));
    expect(page.nextCursor).not.toBeNull();
    const human = await cli(['sql', query, '--limit', '3', '--offset', '4']);
    expect(human.stdout).toMatch(/\n3 rows in .*; more with --offset 7\n$/);

    await writeFile(join(configDir, 'count.sql'), "SELECT count(*) AS n FROM credit WHERE Home = 'rent';\n");
    const fromFile = await cliJson<SqlResult>(['sql', '--file', 'count.sql']);
    const rent = Number(fromFile.rows[0]?.[0]);
    expect(rent).toBeGreaterThan(0);
    expect(rent).toBeLessThan(4454);
    const fromStdin = await cliJson<SqlResult>(['sql', '-'], {
      stdin: "SELECT count(*) FROM credit WHERE Home = 'rent'",
    });
    expect(Number(fromStdin.rows[0]?.[0])).toBe(rent);
  });

  it('fails a bad query with one line carrying the code', async () => {
    expectOneLineError(await cli(['sql', 'SELECT no_such_column FROM credit']), 'sql_error');
    expectOneLineError(await cli(['sql', 'DROP VIEW credit']), '(sql_refused|not_a_select|sql_error)');
    expectOneLineError(await cli(['sql']), 'invalid_option');
    expectOneLineError(await cli(['sql', '  ;']), 'no_query');
  });

  it('saves a result as a derived dataset with --save, whose lineage names the version it read', async () => {
    const sql = 'SELECT Status, Income, Amount FROM credit WHERE Income > 200';
    const count = await cliJson<SqlResult>(['sql', `SELECT count(*) FROM (${sql})`]);
    const saved = await cliJson<Dataset>(['sql', sql, '--save', 'high_income', '--description', 'rich']);
    expect(saved.name).toBe('high_income');
    expect(saved.description).toBe('rich');
    expect(saved.latestVersion?.source).toBe('query');
    expect(saved.latestVersion?.rows).toBe(Number(count.rows[0]?.[0]));
    expect(saved.latestVersion?.profile.columns.map((c) => c.name)).toEqual(['Status', 'Income', 'Amount']);
    expect((await cliJson<Dataset>(['datasets', 'show', 'high_income'])).id).toBe(saved.id);

    // Nothing it reads changed: a refresh keeps the version.
    const refreshed = await cli(['datasets', 'refresh', 'high_income']);
    expect(refreshed.code).toBe(0);
    expect(refreshed.stdout).toMatch(/^Unchanged: Dataset high_income \(ds_\w+\) version [0-9a-f]{12}: /);

    const credit = await cliJson<Dataset>(['datasets', 'show', 'credit']);
    const parent = `${credit.id}@${credit.latestVersion?.version}`;
    const child = `${saved.id}@${saved.latestVersion?.version}`;
    const up = await cliJson<LineageGraph>(['lineage', 'dataset_version', 'high_income', '--direction', 'up']);
    expect(up.root).toEqual({ kind: 'dataset_version', id: child });
    expect(up.edges).toContainEqual({
      from: { kind: 'dataset_version', id: parent },
      to: { kind: 'dataset_version', id: child },
    });
    // By default a dataset version walks down; a unique version prefix names it.
    const prefix = credit.latestVersion?.version.slice(0, 8) ?? '';
    const down = await cli(['lineage', 'dataset_version', `credit@${prefix}`]);
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(/^KIND\s+NAME\s+ID\n/);
    expect(down.stdout).toMatch(
      new RegExp(`\\ncredit@${prefix}\\w* \\(dataset_version\\)\\s+→\\s+high_income@\\w+ \\(dataset_version\\)\\n`),
    );

    const viewer = await cli(['sql', 'SELECT 1 AS one', '--save', 'nope'], { env: { MODELYARD_TOKEN: viewerToken } });
    expectOneLineError(viewer, 'forbidden');
  });

  it('refuses --limit with --save, and an uploaded dataset has nothing to refresh', async () => {
    expectOneLineError(await cli(['sql', 'SELECT 1 AS one', '--save', 'x', '--limit', '5']), 'invalid_option');
    expectOneLineError(await cli(['datasets', 'refresh', 'credit']), 'not_refreshable');
    expectOneLineError(await cli(['lineage', 'dataset_version', 'credit@ffffffffff']), 'dataset_version_not_found');
  });
});

describe('modelyard lineage', () => {
  it('walks from an endpoint up to the data, naming objects by name, alias and run name', async () => {
    const run = await cliJson<Run>([
      'train',
      ...['--dataset', 'credit', '--target', 'Status', '--task', 'classification', '--name', 'catalog-glm'],
      ...['--timeout', '120', '--interval', '200'],
    ]);
    expect(run.status).toBe('succeeded');
    await cliJson(['models', 'register', 'credit-glm', '--run', run.id, '--alias', 'champion']);
    await cliJson(['endpoints', 'create', 'scoring', '--model', 'credit-glm@champion']);

    const up = await cliJson<LineageGraph>(['lineage', 'endpoint', 'scoring', '--depth', '4']);
    expect(up.nodes.map((n) => `${n.kind} ${n.name}`)).toEqual([
      'endpoint scoring',
      'model_version credit-glm v1',
      'run catalog-glm',
      expect.stringMatching(/^dataset_version credit@[0-9a-f]{12}$/),
      'dataset credit',
    ]);
    const shallow = await cliJson<LineageGraph>(['lineage', 'endpoint', 'scoring', '--depth', '1']);
    expect(shallow.nodes.map((n) => n.kind)).toEqual(['endpoint', 'model_version']);

    // A model version walks up by default: three hops reach the dataset.
    const byAlias = await cliJson<LineageGraph>(['lineage', 'model_version', 'credit-glm@champion']);
    expect(byAlias.root.id).toMatch(/^mdl_\w+@1$/);
    expect(byAlias.nodes.map((n) => n.kind)).toEqual(['model_version', 'run', 'dataset_version', 'dataset']);
    const toEndpoint = await cliJson<LineageGraph>(['lineage', 'model_version', 'credit-glm', '--direction', 'down']);
    expect(toEndpoint.nodes.map((n) => n.name)).toEqual(['credit-glm v1', 'scoring']);

    const human = await cli(['lineage', 'run', 'catalog-glm', '--depth', '1']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/\ncredit@[0-9a-f]{12} \(dataset_version\)\s+→\s+catalog-glm \(run\)\n$/);

    expectOneLineError(await cli(['lineage', 'model_version', 'credit-glm@nope']), 'alias_not_found');
    expectOneLineError(await cli(['lineage', 'run', 'no-such-run']), 'run_not_found');
    expectOneLineError(await cli(['lineage', 'endpoint', 'scoring', '--depth', '11']), 'invalid_option');
    expect((await cli(['lineage', 'table', 'x'])).code).toBe(2);
  }, 180_000);
});

describe('modelyard connections', () => {
  /** Postgres on port 1 of the loopback address: nothing listens there, so a test fails fast. */
  const addArgs = ['--kind', 'postgres', '--host', '127.0.0.1', '--port', '1', '--database', 'dw', '--user', 'reader'];

  it('adds a connection with the password from an environment variable, and lists and shows it', async () => {
    const created = await cliJson<Connection>(['connections', 'add', 'warehouse', ...addArgs, '--password-env', 'PW'], {
      env: { PW: PASSWORD },
    });
    expect(created).toMatchObject({ name: 'warehouse', kind: 'postgres', host: '127.0.0.1', port: 1, user: 'reader' });
    expect(created.id).toMatch(/^conn_/);
    expect(Object.keys(created)).not.toContain('password');

    const listed = await cliJson<Connection[]>(['connections', 'list']);
    expect(listed.map((c) => c.id)).toEqual([created.id]);
    const human = await cli(['connections', 'list']);
    expect(human.stdout).toMatch(/\nwarehouse\s+conn_\w+\s+postgres\s+127\.0\.0\.1\s+1\s+dw\s+reader\s+no\s+/);
    expect(await cliJson<Connection>(['connections', 'show', 'warehouse'])).toEqual(created);
    expect(await cliJson<Connection>(['connections', 'show', created.id])).toEqual(created);
  });

  it('takes the password from stdin, or from argv with a warning', async () => {
    const piped = await cliJson<Connection>(['connections', 'add', 'piped', ...addArgs, '--password-stdin'], {
      stdin: `${PASSWORD}\n`,
    });
    expect(piped.name).toBe('piped');
    const argv = await cli(['connections', 'add', 'argv', ...addArgs, '--password', PASSWORD]);
    expect(argv.code).toBe(0);
    expect(argv.stderr).toMatch(/^warning: a password given with --password shows in the process list/);
    expect(argv.stdout).toMatch(/^Connection argv \(conn_\w+\) to postgres reader@127\.0\.0\.1:1\/dw\.\n$/);
    expectOneLineError(await cli(['connections', 'add', 'none', ...addArgs]), 'password_required');
    expectOneLineError(
      await cli(['connections', 'add', 'unset', ...addArgs, '--password-env', 'NO_SUCH_VARIABLE']),
      'password_required',
    );
  });

  it('reports a failed test with exit code 1 and one line carrying the code', async () => {
    const r = await cli(['connections', 'test', 'warehouse']);
    expectOneLineError(r, 'connection_failed');
    const json = await cli(['connections', 'test', 'warehouse', '--json']);
    expectOneLineError(json, 'connection_failed');
  });

  it('removes connections by name or id', async () => {
    const piped = await cliJson<Connection>(['connections', 'show', 'piped']);
    const removed = await cli(['connections', 'rm', 'warehouse']);
    expect(removed.stdout).toMatch(/^Removed connection warehouse \(conn_\w+\)\.\n$/);
    expect((await cliJson<Connection>(['connections', 'rm', piped.id])).id).toBe(piped.id);
    await cliJson(['connections', 'rm', 'argv']);
    expect(await cliJson<Connection[]>(['connections', 'list'])).toEqual([]);
    expectOneLineError(await cli(['connections', 'show', 'warehouse']), 'connection_not_found');
  });

  it('keeps viewers out', async () => {
    expectOneLineError(await cli(['connections', 'list'], { env: { MODELYARD_TOKEN: viewerToken } }), 'forbidden');
  });
});

describe('modelyard datasets add-sql on PostgreSQL', () => {
  let db: pg.Client;

  beforeAll(async () => {
    db = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await db.connect();
    await db.query(`DROP TABLE IF EXISTS ${TABLE}`);
    await db.query(`CREATE TABLE ${TABLE} (id INTEGER PRIMARY KEY, income DOUBLE PRECISION, purpose VARCHAR(20))`);
    await db.query(`INSERT INTO ${TABLE} VALUES (1, 1200, 'car'), (2, 3400, 'house'), (3, NULL, 'study')`);
  });

  afterAll(async () => {
    await db?.query(`DROP TABLE IF EXISTS ${TABLE}`);
    await db?.end();
  });

  it('registers a SELECT as a dataset and refreshes it when the table changes', async () => {
    const u = new URL(TEST_POSTGRES_URL);
    const conn = await cliJson<Connection>(
      [
        'connections',
        'add',
        'pg',
        '--kind',
        'postgres',
        '--host',
        u.hostname,
        '--port',
        u.port || '5432',
        '--database',
        decodeURIComponent(u.pathname.slice(1)),
        '--user',
        decodeURIComponent(u.username),
        '--password-env',
        'PGPASS',
      ],
      { env: { PGPASS: decodeURIComponent(u.password) } },
    );
    const check = await cliJson<ConnectionCheck>(['connections', 'test', 'pg']);
    expect(check.ok).toBe(true);
    expect((await cli(['connections', 'test', conn.id])).stdout).toMatch(/^Connection pg works: postgres .* in /);

    const query = `SELECT id, income, purpose FROM ${TABLE} ORDER BY id`;
    const added = await cliJson<Dataset>(['datasets', 'add-sql', 'loans', '--connection', conn.id, '--query', query]);
    expect(added.latestVersion?.rows).toBe(3);
    expect(added.latestVersion?.source).toBe('sql:pg');

    const same = await cli(['datasets', 'refresh', 'loans']);
    expect(same.stdout).toMatch(/^Unchanged: Dataset loans .*: 3 rows × 3 columns\.\n$/);
    await db.query(`INSERT INTO ${TABLE} VALUES (4, 800, 'car')`);
    const changed = await cli(['datasets', 'refresh', 'loans']);
    expect(changed.stdout).toMatch(/^New version: Dataset loans .*: 4 rows × 3 columns\.\n$/);
    const shown = await cliJson<Dataset>(['datasets', 'show', 'loans']);
    expect(shown.latestVersion?.version).not.toBe(added.latestVersion?.version);

    expectOneLineError(
      await cli(['datasets', 'add-sql', 'x', '--connection', 'nope', '--query', 'SELECT 1']),
      'connection_not_found',
    );
  });
});

describe('the connection password', () => {
  it('never appeared in any output', () => {
    expect(transcript).toContain('warehouse');
    expect(transcript).not.toContain(PASSWORD);
  });
});
