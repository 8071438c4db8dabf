// Test support: a fresh, throw-away metadata store per suite on each adapter (SQLite file, PostgreSQL database).

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { MetadataStore } from './metadata-store.js';
import { openPostgresStore, openSqliteStore } from './open-metadata-store.js';

/** The PostgreSQL server the tests use; `.ci/run` makes sure it is running. */
export const TEST_POSTGRES_URL =
  process.env.MODELYARD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ThrowAwayStore {
  store: MetadataStore;
  /** postgres:// URL of the database, for tests that start a whole server on it. */
  url: string | undefined;
  /** The SQLite file, for tests that open it directly. */
  sqlitePath: string | undefined;
  dispose(): Promise<void>;
}

export type Adapter = 'sqlite' | 'postgres';
export const ADAPTERS: Adapter[] = ['sqlite', 'postgres'];

function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A new empty PostgreSQL database, dropped by `drop()`. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `modelyard_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${TEST_POSTGRES_URL} (set MODELYARD_TEST_POSTGRES_URL; .ci/run starts it): ${String(error)}`,
    );
  }
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: databaseUrl(TEST_POSTGRES_URL, name),
    async drop() {
      const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export async function openThrowAwayStore(adapter: Adapter): Promise<ThrowAwayStore> {
  if (adapter === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'modelyard-store-'));
    const sqlitePath = join(dir, 'metadata.sqlite');
    const store = openSqliteStore(sqlitePath);
    await store.migrate();
    return {
      store,
      url: undefined,
      sqlitePath,
      async dispose() {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const database = await createPostgresDatabase();
  const store = openPostgresStore(database.url);
  await store.migrate();
  return {
    store,
    url: database.url,
    sqlitePath: undefined,
    async dispose() {
      await store.close();
      await database.drop();
    },
  };
}

/** Store tests' usual start: an admin user `alice` and a project she owns. */
export async function aliceAndProject(
  store: MetadataStore,
  project: string,
): Promise<{ userId: string; projectId: string }> {
  const system = { actor: 'system', action: 'user.create', projectId: null };
  const userId = (await store.createUser({ name: 'alice', isAdmin: true }, system)).id;
  const created = await store.createProject(
    { name: project, description: '', owner: userId },
    { actor: userId, action: 'project.create', projectId: null },
  );
  return { userId, projectId: created.id };
}
