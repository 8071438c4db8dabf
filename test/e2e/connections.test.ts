// Database connections through the SDK: admins add them, editors read them, and the password never comes back out —
// not in answers, not in the audit log, not in the metadata database on disk.

import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, ModelyardClient, type CreateConnection } from '@modelyard/client';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const PASSWORD = 'correct-horse-battery-staple-7741';

let server: TestServer;
let admin: ModelyardClient;
let editor: ModelyardClient;
let viewer: ModelyardClient;
let outsider: ModelyardClient;

async function userClient(name: string, role: 'viewer' | 'editor' | null): Promise<ModelyardClient> {
  const user = await admin.createUser({ name });
  const { token } = await admin.createToken(user.id, 't');
  if (role !== null) await admin.setMember('demo', user.id, role);
  return new ModelyardClient({ baseUrl: server.url, token });
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect(JSON.stringify(error)).not.toContain(PASSWORD);
    expect((error as ApiError).message).not.toContain(PASSWORD);
    return error as ApiError;
  }
  throw new Error('expected the call to fail');
}

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
  editor = await userClient('erin', 'editor');
  viewer = await userClient('victor', 'viewer');
  outsider = await userClient('olga', null);
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
    expect((await failure(admin.createConnection('demo', spec))).code).toBe('connection_exists');
    const badHost = await failure(admin.createConnection('demo', { ...spec, name: 'b', host: 'postgres://x@y/z' }));
    expect(badHost.status).toBe(400);
    const extra = { ...spec, name: 'c', url: 'postgres://reader:pw@host/db' } as CreateConnection;
    expect((await failure(admin.createConnection('demo', extra))).status).toBe(400);
    const badPort = await failure(admin.createConnection('demo', { ...spec, name: 'd', port: 70000 }));
    expect(badPort.status).toBe(400);
  });

  it('are written by admins only, read by editors, hidden from viewers and strangers', async () => {
    const [first] = (await admin.listConnections('demo')).items;
    expect((await failure(editor.createConnection('demo', { ...spec, name: 'mine' }))).status).toBe(403);
    expect((await failure(editor.deleteConnection(first!.id))).status).toBe(403);
    expect((await failure(viewer.listConnections('demo'))).status).toBe(403);
    expect((await failure(viewer.getConnection(first!.id))).status).toBe(403);
    const stranger = await failure(outsider.getConnection(first!.id));
    expect([stranger.status, stranger.code]).toEqual([404, 'connection_not_found']);
    expect((await failure(outsider.listConnections('demo'))).status).toBe(404);
  });

  it('are deleted by admins, with an audit event', async () => {
    const extra = await admin.createConnection('demo', { ...spec, name: 'temporary', kind: 'mysql', port: 3306 });
    await admin.deleteConnection(extra.id);
    expect((await failure(admin.getConnection(extra.id))).code).toBe('connection_not_found');
    expect((await failure(admin.deleteConnection(extra.id))).code).toBe('connection_not_found');
    const audit = await admin.listAudit({ project: 'demo', limit: 100 });
    expect(audit.items.some((e) => e.action === 'connection.delete' && e.objectId === extra.id)).toBe(true);
  });
});
