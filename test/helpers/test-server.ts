// Starts a real Modelyard server for end-to-end tests: random port, fresh data dir, fixed admin token.

import { mkdirSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../packages/server/src/start.js';

/** Every data dir of this test process lives under one folder, removed when the process exits. */
const TEST_ROOT = join(tmpdir(), `modelyard-test-${process.pid}`);
mkdirSync(TEST_ROOT, { recursive: true });
process.on('exit', () => rmSync(TEST_ROOT, { recursive: true, force: true }));

export const TEST_ADMIN_TOKEN = 'myd_test-admin-token-0123456789abcdefghijklmnop';

export interface TestServer {
  url: string;
  token: string;
  dataDir: string;
  server: RunningServer;
  close(): Promise<void>;
}

export async function startTestServer(
  opts: {
    dataDir?: string;
    demo?: boolean;
    demoRun?: boolean;
    databaseUrl?: string;
    allowedRoots?: string[];
    snapshotGraceSeconds?: number;
  } = {},
): Promise<TestServer> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(TEST_ROOT, 'data-')));
  const server = await startServer({
    port: 0,
    dataDir,
    adminToken: TEST_ADMIN_TOKEN,
    seedDemo: opts.demo ?? opts.demoRun ?? true,
    logger: false,
    workers: 1,
    ...(opts.databaseUrl && { databaseUrl: opts.databaseUrl }),
    ...(opts.allowedRoots && { allowedRoots: opts.allowedRoots }),
    ...(opts.snapshotGraceSeconds !== undefined && { snapshotGraceSeconds: opts.snapshotGraceSeconds }),
  });
  return { url: server.url, token: TEST_ADMIN_TOKEN, dataDir, server, close: () => server.close() };
}
