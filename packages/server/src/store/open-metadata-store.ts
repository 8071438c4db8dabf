// Chooses the MetadataStore adapter: PostgreSQL for a postgres:// URL, embedded SQLite (WAL) otherwise.

import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { createKyselyMetadataStore } from './kysely-metadata-store.js';
import type { MetadataStore } from './metadata-store.js';
import type { Database as Schema } from './schema.js';

export function openSqliteStore(path: string): MetadataStore {
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a write is acknowledged only once it survives a power cut, as the design's contract says.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return createKyselyMetadataStore(
    new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) }),
    'sqlite',
    sqlite,
  );
}

export function openPostgresStore(url: string): MetadataStore {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection can die (server restart, admin termination): the pool drops it and the next query
  // reconnects. Without a listener, that error would take the whole process down.
  pool.on('error', () => undefined);
  return createKyselyMetadataStore(new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) }), 'postgres');
}

export async function openMetadataStore(options: { databaseUrl?: string; sqlitePath: string }): Promise<MetadataStore> {
  const url = options.databaseUrl;
  const store = url && /^postgres(ql)?:\/\//.test(url) ? openPostgresStore(url) : openSqliteStore(options.sqlitePath);
  await store.migrate();
  return store;
}
