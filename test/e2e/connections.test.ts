// Database connections through the SDK: admins add them, editors read them, and the password never comes back out —
// not in answers, not in the audit log, not in the metadata database on disk.

import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardClient, type CreateConnection } from '@modelyard/client';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { apiFailure, userClient } from '../helpers/api-calls.js';

const PASSWORD = 'correct-horse-battery-staple-7741';

let server: TestServer;
let admin: ModelyardClient;
let editor: ModelyardClient;
let viewer: ModelyardClient;
let outsider: ModelyardClient;

const spec: CreateConnection = {
  name: 'warehouse',
  kind: 'postgres',
  host: '127.0.0.1',
  port: 5432,
  database: 'postgres',
  user: 'reader',
  password: PASSWORD,
  ssl: false,
};

beforeAll(async () => {
  server = await startTestServer();
  admin = new ModelyardClient({ baseUrl: server.url, token: server.token });
  editor = await userClient(admin, server.url, 'erin', { project: 'demo', role: 'editor' });
  viewer = await userClient(admin, server.url, 'victor', { project: 'demo', role: 'viewer' });
  outsider = await userClient(admin, server.url, 'olga', null);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe('database connections', () => {
  it('are created by admins and shown without their password', async () => {
    const created = await admin.createConnection('demo', spec);
    expect(created).toMatchObject({ name: 'warehouse', kind: 'postgres', host: '127.0.0.1', port: 5432, ssl: false });
    expect(created.id).toMatch(/^conn_/);
    expect(JSON.stringify(created)).not.toContain(PASSWORD);
    expect(Object.keys(created)).not.toContain('password');
    const listed = await editor.listConnections('demo');
    expect(listed.items.map((c) => c.id)).toEqual([created.id]);
    expect(await editor.getConnection(created.id)).toEqual(created);
    expect(JSON.stringify(listed)).not.toContain(PASSWORD);
  });

  it('keep the password encrypted at rest under a 0600 key, and out of the audit log', async () => {
    const database = await readFile(join(server.dataDir, 'metadata.sqlite'));
    expect(database.includes(Buffer.from(PASSWORD))).toBe(false);
    expect((await stat(join(server.dataDir, 'secret.key'))).mode & 0o777).toBe(0o600);
    const audit = await admin.listAudit({ project: 'demo', limit: 100 });
    expect(audit.items.some((e) => e.action === 'connection.create')).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(PASSWORD);
  });

  it('refuse duplicates, bad hosts and unknown fields with clear 4xx codes', async () => {
    expect((await apiFailure(admin.createConnection('demo', spec), PASSWORD)).code).toBe('connection_exists');
    const badHost = await apiFailure(
      admin.createConnection('demo', { ...spec, name: 'b', host: 'postgres://x@y/z' }),
      PASSWORD,
    );
    expect(badHost.status).toBe(400);
    const extra = { ...spec, name: 'c', url: 'postgres://reader:pw@host/db' } as CreateConnection;
    expect((await apiFailure(admin.createConnection('demo', extra), PASSWORD)).status).toBe(400);
    const badPort = await apiFailure(admin.createConnection('demo', { ...spec, name: 'd', port: 70000 }), PASSWORD);
    expect(badPort.status).toBe(400);
  });

  it('are written by admins only, read by editors, hidden from viewers and strangers', async () => {
    const [first] = (await admin.listConnections('demo')).items;
    expect((await apiFailure(editor.createConnection('demo', { ...spec, name: 'mine' }), PASSWORD)).status).toBe(403);
    expect((await apiFailure(editor.deleteConnection(first!.id), PASSWORD)).status).toBe(403);
    expect((await apiFailure(viewer.listConnections('demo'), PASSWORD)).status).toBe(403);
    expect((await apiFailure(viewer.getConnection(first!.id), PASSWORD)).status).toBe(403);
    const stranger = await apiFailure(outsider.getConnection(first!.id), PASSWORD);
    expect([stranger.status, stranger.code]).toEqual([404, 'connection_not_found']);
    expect((await apiFailure(outsider.listConnections('demo'), PASSWORD)).status).toBe(404);
  });

  it('are deleted by admins, with an audit event', async () => {
    const extra = await admin.createConnection('demo', { ...spec, name: 'temporary', kind: 'mysql', port: 3306 });
    await admin.deleteConnection(extra.id);
    expect((await apiFailure(admin.getConnection(extra.id), PASSWORD)).code).toBe('connection_not_found');
    expect((await apiFailure(admin.deleteConnection(extra.id), PASSWORD)).code).toBe('connection_not_found');
    const audit = await admin.listAudit({ project: 'demo', limit: 100 });
    expect(audit.items.some((e) => e.action === 'connection.delete' && e.objectId === extra.id)).toBe(true);
  });
});
