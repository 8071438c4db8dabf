// Writes the serving logs into the embedded SQLite file from a worker thread. A commit with synchronous = FULL waits
// for an fsync (7 ms on this VM, far more when the disk is busy), and better-sqlite3 is synchronous: on the main
// thread every log commit would stall every request. The worker has its own connection to the same WAL database.

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { NewInference, ShadowEntry } from '../store/metadata-store.js';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 10000');
const statements = {
  inference_log: db.prepare(
    'INSERT INTO inference_log (id, endpoint_id, model_version, model_ref, route, inputs, outputs, latency_ms, created_at, flagged_records) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ),
  shadow_log: db.prepare(
    'INSERT INTO shadow_log (id, endpoint_id, model_ref, model_version, outputs, error, latency_ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ),
};
const write = db.transaction((table, rows) => {
  const statement = statements[table];
  for (const row of rows) statement.run(row);
});
parentPort.on('message', (message) => {
  if (message.close) {
    db.close();
    parentPort.postMessage({ id: message.id });
    return;
  }
  try {
    write(message.table, message.rows);
    parentPort.postMessage({ id: message.id });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: String((error && error.message) || error) });
  }
});
`;

type Row = (string | number | null)[];

export class ThreadedSqliteLog {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private next = 0;

  constructor(path: string) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver } });
    this.worker.on('message', (message: { id: number; error?: string }) => {
      const waiter = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if (message.error === undefined) waiter?.resolve();
      else waiter?.reject(new Error(`inference log write failed: ${message.error}`));
    });
    this.worker.on('error', (error) => {
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    });
  }

  logInferences(entries: NewInference[]): Promise<void> {
    const createdAt = new Date().toISOString();
    return this.send(
      'inference_log',
      entries.map((e) => [
        e.id,
        e.endpointId,
        e.modelVersion,
        e.modelRef,
        e.route,
        JSON.stringify(e.inputs),
        JSON.stringify(e.outputs),
        e.latencyMs,
        createdAt,
        e.flaggedRecords ?? 0,
      ]),
    );
  }

  logShadows(entries: ShadowEntry[]): Promise<void> {
    const createdAt = new Date().toISOString();
    return this.send(
      'shadow_log',
      entries.map((e) => [
        e.requestId,
        e.endpointId,
        e.modelRef,
        e.modelVersion,
        e.outputs === null ? null : JSON.stringify(e.outputs),
        e.error,
        e.latencyMs,
        createdAt,
      ]),
    );
  }

  async close(): Promise<void> {
    await this.request({ close: true });
    await this.worker.terminate();
  }

  private send(table: string, rows: Row[]): Promise<void> {
    return this.request({ table, rows });
  }

  private request(message: object): Promise<void> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...message });
    });
  }
}
