// `modelyard run -- <command...>` against a real server, in-process: the job's output on the terminal, its exit code
// as the CLI's; and `modelyard artifacts` on the run it made.

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelyardClient, type Run } from '@modelyard/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../packages/server/src/cli/run-cli.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let workDir: string;

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    env: { MODELYARD_URL: server.url, MODELYARD_TOKEN: server.token, MODELYARD_PROJECT: 'clijobs', HOME: workDir },
    cwd: workDir,
  });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'modelyard-cli-run-'));
  server = await startTestServer({ demo: false });
  await cli('projects', 'create', 'clijobs');
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe('modelyard run', () => {
  it("prints the job's output and exits with its exit code", async () => {
    const r = await cli('run', '--', 'node', '-e', "console.log('hi'); console.error('oops'); process.exit(2)");
    expect(r.stdout).toBe('hi\n');
    expect(r.stderr).toBe('oops\nerror: exit code 2 (command_failed)\n');
    expect(r.code).toBe(2);
  });

  it('exits 0 for a job that succeeds, in the named experiment, and keeps its files', async () => {
    const sdk = new ModelyardClient({ baseUrl: server.url, token: server.token });
    const experiment = await sdk.createExperiment('clijobs', { name: 'cli-exp' });
    const r = await cli(
      'run',
      '--experiment',
      'cli-exp',
      '--name',
      'writer',
      '--json',
      '--',
      'node',
      '-e',
      "console.log('fine')",
    );
    expect(r.code).toBe(0);
    const run = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as Run;
    expect(r.stdout.startsWith('fine\n')).toBe(true);
    expect([run.name, run.status]).toEqual(['writer', 'succeeded']);
    expect(run.experimentId).toBe(experiment.id);

    await writeFile(join(workDir, 'notes.txt'), 'some notes');
    const put = await cli('artifacts', 'put', run.id, 'notes.txt', 'docs/notes.txt');
    expect([put.code, put.stdout]).toEqual([0, 'notes.txt → docs/notes.txt (10 bytes)\n']);
    const list = await cli('artifacts', 'list', run.id, 'docs');
    expect(list.stdout).toMatch(/docs\/notes\.txt\s+10/);
    const get = await cli('artifacts', 'get', run.id, 'logs/stdout.txt', '-o', 'out.txt');
    expect(get.code).toBe(0);
    expect(await readFile(join(workDir, 'out.txt'), 'utf8')).toBe('fine\n');
  });

  it('fails with one line for an unknown program', async () => {
    const r = await cli('run', '--', 'modelyard-no-such-program-xyz');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "error: No executable 'modelyard-no-such-program-xyz' on the server's PATH. (command_not_found)\n",
    );
  });
});
