// A batch scoring thread: reads one partition of the input with its own DuckDB, scores it with the engine, and
// writes the model's outputs (only those: the runner joins them to the input columns at the end) to a part file.

import { rename, rm } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import {
  DOUBLE,
  DuckDBDataChunk,
  DuckDBInstance,
  INTEGER,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBVector,
} from '@duckdb/node-api';
import { EngineError, Frame, predictFrame, type Column, type ModelArtifact } from '@modelyard/engine';
import { quoteIdentifier, quoteLiteral } from '../data/sql-quote.js';
import type { BatchFeatureRead, BatchPartitionReply, BatchPartitionRequest } from './batch-messages.js';

const port = parentPort;
if (!port) throw new Error('batch-worker must run in a worker thread');

/** DuckDB's vector size: one appended chunk. */
const CHUNK = 2048;

let connection: DuckDBConnection | undefined;
let model: { key: string; artifact: ModelArtifact } | undefined;

async function connect(): Promise<DuckDBConnection> {
  if (connection) return connection;
  // One thread per scoring thread: the runner already runs as many partitions at once as there are cores.
  const instance = await DuckDBInstance.create(':memory:', {
    threads: '1',
    preserve_insertion_order: 'true',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  connection = await instance.connect();
  return connection;
}

function selectExpression(feature: BatchFeatureRead, index: number): string {
  const q = quoteIdentifier(feature.name);
  switch (feature.read) {
    case 'number':
      return `CAST(${q} AS DOUBLE)`;
    case 'date':
      return `CAST(date_diff('day', DATE '1970-01-01', ${q}) AS DOUBLE)`;
    case 'timestamp':
      return `CAST(epoch_ms(${q}) AS DOUBLE)`;
    case 'category':
      if (feature.categories.length === 0) return `CASE WHEN ${q} IS NULL THEN -1 ELSE 0 END`;
      // The model's categories as an ENUM type: a hash lookup per row in DuckDB, integer codes out (unseen values
      // cast to NULL, and become the code past the categories; missing ones -1).
      return (
        `CASE WHEN ${q} IS NULL THEN -1 ELSE coalesce(CAST(enum_code(TRY_CAST(CAST(${q} AS VARCHAR) AS ` +
        `${enumType(index)})) AS INTEGER), ${feature.categories.length}) END`
      );
  }
}

/** A string that is none of the model's categories: the dictionary entry of every unseen value. */
function unseenLabel(categories: string[]): string {
  let label = '\u0000unseen';
  while (categories.includes(label)) label += '_';
  return label;
}

const enumType = (index: number): string => `batch_categories_${index}`;

/** One ENUM type per category feature, holding the model's categories in order (its codes are theirs). */
async function createEnumTypes(db: DuckDBConnection, features: BatchFeatureRead[]): Promise<void> {
  for (const [index, feature] of features.entries()) {
    await db.run(`DROP TYPE IF EXISTS ${enumType(index)}`);
    if (feature.read !== 'category' || feature.categories.length === 0) continue;
    await db.run(`CREATE TYPE ${enumType(index)} AS ENUM (${feature.categories.map(quoteLiteral).join(', ')})`);
  }
}

/**
 * Copies a chunk's column into `out` from the typed array @duckdb/node-api keeps its values in (`items`, with the
 * validity bits in `validity.data`, null when every value is valid), where getItem would cost BigInt arithmetic per
 * value. Not part of the package's typings, so checked, with getItem as the fallback.
 */
function copyFast(vector: DuckDBVector, out: Float64Array | Int32Array, offset: number, n: number, missing: number) {
  const raw = vector as unknown as { items?: unknown; validity?: { data?: unknown; offset?: unknown } };
  const items = raw.items;
  const data = raw.validity?.data;
  const itemsFit =
    (out instanceof Float64Array ? items instanceof Float64Array : items instanceof Int32Array) &&
    (items as Float64Array | Int32Array).length === n;
  if (!itemsFit || raw.validity?.offset !== 0 || !(data === null || data instanceof BigUint64Array)) {
    for (let row = 0; row < n; row++) {
      const value = vector.getItem(row);
      out[offset + row] = typeof value === 'number' ? value : missing;
    }
    return;
  }
  out.set(items as Float64Array | Int32Array, offset);
  if (data === null) return;
  // Little-endian words: bit r of the 64-bit mask is bit (r & 31) of 32-bit word r >>> 5.
  const words = new Uint32Array(data.buffer, data.byteOffset, data.length * 2);
  for (let row = 0; row < n; row++) if ((words[row >>> 5]! & (1 << (row & 31))) === 0) out[offset + row] = missing;
}

interface Filler {
  fill(vector: DuckDBVector, n: number, offset: number): void;
  finish(): Column;
}

function fillerFor(feature: BatchFeatureRead, nRows: number): Filler {
  if (feature.read !== 'category') {
    const values = new Float64Array(nRows);
    return {
      fill: (vector, n, offset) => copyFast(vector, values, offset, n, NaN),
      finish: () => ({ kind: 'number', name: feature.name, values }),
    };
  }
  const codes = new Int32Array(nRows);
  const dictionary = [...feature.categories, unseenLabel(feature.categories)];
  return {
    fill: (vector, n, offset) => copyFast(vector, codes, offset, n, -1),
    finish: () => ({ kind: 'category', name: feature.name, codes, dictionary }),
  };
}

async function readPartition(db: DuckDBConnection, request: BatchPartitionRequest): Promise<Frame> {
  const nRows = request.rowEnd - request.rowStart;
  const fillers = request.features.map((f) => fillerFor(f, nRows));
  await createEnumTypes(db, request.features);
  const sql =
    `SELECT ${request.features.map((f, i) => selectExpression(f, i)).join(', ')} ` +
    `FROM read_parquet(${quoteLiteral(request.input)}, file_row_number=true) ` +
    `WHERE file_row_number >= ${request.rowStart} AND file_row_number < ${request.rowEnd}`;
  const result = await db.stream(sql);
  let offset = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) break;
    if (offset + chunk.rowCount > nRows) throw new Error(`Partition yielded more than its ${nRows} rows`);
    fillers.forEach((filler, i) => filler.fill(chunk.getColumnVector(i), chunk.rowCount, offset));
    offset += chunk.rowCount;
  }
  if (offset !== nRows) throw new Error(`Partition yielded ${offset} rows, expected ${nRows}`);
  return Frame.fromColumns(fillers.map((f) => f.finish()));
}

/** The part file's columns: o0…o(k-1) (the value, P(classes[1]), or each class's probability), then a label code. */
async function writePart(
  db: DuckDBConnection,
  artifact: ModelArtifact,
  outputs: Float64Array,
  nRows: number,
  path: string,
): Promise<void> {
  const k = nRows === 0 ? 1 : outputs.length / nRows;
  const classification = artifact.task === 'classification';
  const types: DuckDBType[] = Array.from({ length: k }, () => DOUBLE);
  if (classification) types.push(INTEGER);
  const names = types.map((_, i) => (classification && i === k ? 'label' : `o${i}`));
  await db.run('DROP TABLE IF EXISTS part_out');
  await db.run(`CREATE TABLE part_out (${names.map((n, i) => `${n} ${i < k ? 'DOUBLE' : 'INTEGER'}`).join(', ')})`);
  const appender = await db.createAppender('part_out');
  for (let start = 0; start < nRows; start += CHUNK) {
    const n = Math.min(CHUNK, nRows - start);
    const chunk = DuckDBDataChunk.create(types, n);
    for (let c = 0; c < k; c++) {
      const vector = chunk.getColumnVector(c);
      for (let r = 0; r < n; r++) vector.setItem(r, outputs[(start + r) * k + c]!);
      vector.flush();
    }
    if (classification) {
      const vector = chunk.getColumnVector(k);
      for (let r = 0; r < n; r++) vector.setItem(r, labelCode(outputs, start + r, k));
      vector.flush();
    }
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
  const temp = `${path}.tmp`;
  await rm(temp, { force: true });
  await db.run(`COPY part_out TO ${quoteLiteral(temp)} (FORMAT parquet)`);
  await db.run('DROP TABLE part_out');
  await rename(temp, path);
}

/** The engine's rule (class-probabilities.ts pickLabel): the most probable class, ties to the first. */
function labelCode(outputs: Float64Array, row: number, k: number): number {
  if (k === 1) {
    const p = outputs[row]!;
    return p > 1 - p ? 1 : 0;
  }
  let best = 0;
  for (let c = 1; c < k; c++) if (outputs[row * k + c]! > outputs[row * k + best]!) best = c;
  return best;
}

port.on('message', (request: BatchPartitionRequest) => {
  void (async (): Promise<BatchPartitionReply> => {
    try {
      if (request.artifact !== undefined) model = { key: request.artifactKey, artifact: request.artifact };
      if (model?.key !== request.artifactKey) throw new Error('The scoring thread has no artifact for this run.');
      const db = await connect();
      const t0 = performance.now();
      const frame = await readPartition(db, request);
      const t1 = performance.now();
      const outputs = predictFrame(model.artifact, frame);
      const t2 = performance.now();
      await writePart(db, model.artifact, outputs, frame.nRows, request.partPath);
      const ms = { read: t1 - t0, score: t2 - t1, write: performance.now() - t2 };
      return { type: 'done', taskId: request.taskId, rows: frame.nRows, ms };
    } catch (error) {
      if (error instanceof EngineError) {
        return {
          type: 'failed',
          taskId: request.taskId,
          code: error.code,
          message: error.message,
          ...(error.details && { details: error.details }),
        };
      }
      return {
        type: 'failed',
        taskId: request.taskId,
        code: 'batch_partition_failed',
        message: error instanceof Error ? error.message : String(error),
      };
    }
  })().then((reply) => port.postMessage(reply));
});
