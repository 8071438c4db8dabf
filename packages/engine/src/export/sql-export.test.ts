// The SQL export scored inside DuckDB and PostgreSQL: every model kind's 10,000 parity rows, compared with predictFrame
// (to 1e-9) and predictRecords' labels, plus the edge values (NaN, ±Infinity, quotes, boolean spellings).
import { randomBytes } from 'node:crypto';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureRecord } from '../artifact/feature-record.js';
import type { ModelArtifact } from '../artifact/model-artifact.js';
import { predictFrame } from '../artifact/predict-frame.js';
import { predictRecords } from '../artifact/predict-records.js';
import { crossValidate } from '../automl/cross-validate.js';
import { trainStackedEnsemble } from '../automl/stacked-ensemble.js';
import { trainForestModel } from '../forest/train-forest-model.js';
import type { Column } from '../frame/column.js';
import { Frame } from '../frame/frame.js';
import { trainGbdtModel } from '../gbdt/train-gbdt-model.js';
import { trainGlmModel } from '../glm/train-glm-model.js';
import { parityCases, scoringRows, sharedFrame, type ParityCase } from '../test-support/parity-cases.js';
import { exportSql, sqlScoreColumns, type SqlDialect } from './sql-export.js';
import { quoteIdentifier } from './sql-text.js';

const TOLERANCE = 1e-9;
const POSTGRES_URL = process.env.MODELYARD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Scores and labels as the database returned them, in row order. */
interface DbScores {
  columns: Map<string, unknown[]>;
}

interface Database {
  dialect: SqlDialect;
  /** `keepNaN`: NaN and ±Infinity stay as they are; otherwise NaN becomes NULL. */
  load(table: string, frame: Frame, keepNaN?: boolean): Promise<void>;
  query(sql: string): Promise<DbScores>;
}

// -- Data: frames into tables (NaN = NULL unless `keepNaN`), a row_id to restore row order. --

function tableColumns(frame: Frame): string {
  const columns = frame.names.map((name) => {
    const type = frame.column(name).kind === 'number' ? 'DOUBLE PRECISION' : 'TEXT';
    return `${quoteIdentifier(name)} ${type}`;
  });
  return ['row_id INTEGER', ...columns].join(', ');
}

function columnValues(column: Column, keepNaN: boolean): (number | string | null)[] {
  if (column.kind === 'number') return Array.from(column.values, (v) => (Number.isNaN(v) && !keepNaN ? null : v));
  return Array.from(column.codes, (code) => (code < 0 ? null : column.dictionary[code]!));
}

async function openDuck(): Promise<Database & { close(): void }> {
  const instance = await DuckDBInstance.create(':memory:', {
    threads: '1',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const connection: DuckDBConnection = await instance.connect();
  return {
    dialect: 'duckdb',
    async load(table, frame, keepNaN = false) {
      await connection.run(`CREATE TABLE ${table} (${tableColumns(frame)})`);
      const appender = await connection.createAppender(table);
      const columns = frame.names.map((name) => columnValues(frame.column(name), keepNaN));
      for (let i = 0; i < frame.nRows; i++) {
        appender.appendInteger(i);
        for (const values of columns) {
          const v = values[i]!;
          if (v === null) appender.appendNull();
          else if (typeof v === 'number') appender.appendDouble(v);
          else appender.appendVarchar(v);
        }
        appender.endRow();
      }
      appender.closeSync();
    },
    async query(sql) {
      const reader = await connection.runAndReadAll(sql);
      const names = reader.columnNames();
      const data = reader.getColumnsJS();
      return { columns: new Map(names.map((name, j) => [name, data[j]!])) };
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

async function openPostgres(): Promise<Database & { close(): Promise<void> }> {
  const name = `modelyard_sql_export_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  // What the export's header advises: JIT compiling a large model costs seconds and saves nothing here.
  await client.query('SET jit = off');
  return {
    dialect: 'postgres',
    async load(table, frame, keepNaN = false) {
      await client.query(`CREATE TABLE ${table} (${tableColumns(frame)})`);
      // One statement per table: each column travels as one array parameter.
      const arrays = frame.names.map((n) => columnValues(frame.column(n), keepNaN));
      const types = frame.names.map((n) => (frame.column(n).kind === 'number' ? 'float8[]' : 'text[]'));
      const params = types.map((type, j) => `$${j + 2}::${type}`).join(', ');
      const ids = Array.from({ length: frame.nRows }, (_, i) => i);
      await client.query(`INSERT INTO ${table} SELECT * FROM unnest($1::int[], ${params})`, [
        ids,
        ...arrays.map((values) => values.map((v) => (typeof v === 'number' ? numberText(v) : v))),
      ]);
    },
    async query(sql) {
      const result = await client.query({ text: sql, rowMode: 'array' });
      const names = result.fields.map((f) => f.name);
      const columns = new Map<string, unknown[]>(names.map((n) => [n, []]));
      for (const row of result.rows as unknown[][]) names.forEach((n, j) => columns.get(n)!.push(row[j]));
      return { columns };
    },
    async close() {
      await client.end();
      const drop = new pg.Client({ connectionString: POSTGRES_URL });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    },
  };
}

/** PostgreSQL's spelling of a double in an array parameter (String(x) round-trips; NaN/Infinity have their names). */
function numberText(v: number): string {
  return Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : String(v);
}

/** float8 arrives as a number from DuckDB and as text (exact) from pg. */
function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  throw new Error(`not a number: ${String(value)}`);
}

// -- Expected values --

/** The frame's rows as records, missing values as null (what a client sends). */
function records(frame: Frame, features: string[]): FeatureRecord[] {
  return Array.from({ length: frame.nRows }, (_, i) => {
    const record: FeatureRecord = {};
    for (const name of features) {
      const column = frame.column(name);
      if (column.kind === 'number') {
        const v = column.values[i]!;
        record[name] = Number.isFinite(v) ? v : null;
      } else {
        const code = column.codes[i]!;
        record[name] = code < 0 ? null : column.dictionary[code]!;
      }
    }
    return record;
  });
}

interface Measured {
  maxDifference: number;
  labelMismatches: number;
}

/** Every score of the database against predictFrame (absolute for probabilities, relative for values); labels too. */
function compare(artifact: ModelArtifact, frame: Frame, scores: DbScores): Measured {
  const expected = predictFrame(artifact, frame);
  const classes = artifact.classes ?? [];
  const n = frame.nRows;
  const k = expected.length / n;
  const outputs = sqlScoreColumns(artifact, { dialect: 'duckdb' })
    .map((c) => c.name)
    .filter((name) => name !== 'label');
  expect(outputs).toHaveLength(k);
  let maxDifference = 0;
  let worst = '';
  outputs.forEach((name, c) => {
    const got = scores.columns.get(name);
    expect(got, `column ${name}`).toBeDefined();
    for (let i = 0; i < n; i++) {
      const e = expected[i * k + c]!;
      const a = toNumber(got![i]);
      const scale = artifact.task === 'regression' ? Math.max(1, Math.abs(e)) : 1;
      const difference = Math.abs(a - e) / scale;
      if (!(difference <= maxDifference)) {
        maxDifference = Number.isNaN(difference) ? Infinity : difference;
        worst = `${name} row ${i}: ${a} vs ${e}`;
      }
    }
  });
  expect(maxDifference, `max difference ${maxDifference} (${worst})`).toBeLessThanOrEqual(TOLERANCE);
  let labelMismatches = 0;
  if (artifact.task === 'classification') {
    const labels = scores.columns.get('label')!;
    const predicted = predictRecords(
      artifact,
      records(
        frame,
        artifact.features.map((f) => f.name),
      ),
    );
    predicted.forEach((p, i) => {
      if (!('label' in p) || p.label !== labels[i]) labelMismatches++;
    });
    expect(classes).toContain(labels[0]);
    expect(labelMismatches, 'labels differing from predictRecords').toBe(0);
  }
  return { maxDifference, labelMismatches };
}

// -- Cases: every parity case, plus stacked ensembles (binary and multiclass). --

function stackedCases(): ParityCase[] {
  const churn = sharedFrame('wa_churn.csv');
  const diamonds = sharedFrame('diamonds.csv');
  const take = (frame: Frame, n: number) => frame.take(Int32Array.from({ length: n }, (_, i) => i));
  const binaryRows = take(churn, 2000);
  const binary = { target: 'churn', task: 'classification' as const };
  const binaryBases = [
    crossValidate(binaryRows, trainGlmModel, binary, { k: 3, seed: 1 }),
    crossValidate(
      binaryRows,
      trainGbdtModel,
      { ...binary, params: { nTrees: 20, maxDepth: 4, categoricalEncoding: 'target' } },
      { k: 3, seed: 1 },
    ),
    crossValidate(binaryRows, trainForestModel, { ...binary, params: { nTrees: 10, maxDepth: 6 } }, { k: 3, seed: 1 }),
  ];
  const multiRows = take(diamonds, 2000);
  const multi = { target: 'cut', task: 'classification' as const };
  const multiBases = [
    crossValidate(multiRows, trainGlmModel, multi, { k: 3, seed: 1 }),
    crossValidate(multiRows, trainGbdtModel, { ...multi, params: { nTrees: 10, maxDepth: 4 } }, { k: 3, seed: 1 }),
  ];
  const pack = (bases: typeof binaryBases | typeof multiBases) =>
    bases.map((cv) => ({ artifact: cv.artifact as ModelArtifact, oof: cv }));
  return [
    {
      name: 'stacked-binary',
      artifact: trainStackedEnsemble(binaryRows, pack(binaryBases), { ...binary, nonNegative: false }),
      frame: scoringRows(churn),
    },
    {
      name: 'stacked-multiclass',
      artifact: trainStackedEnsemble(multiRows, pack(multiBases), multi),
      frame: scoringRows(diamonds),
    },
  ];
}

/** Bigger than the parity cases: a 100-tree depth-6 GBDT and a depth-14 forest must parse and plan in both. */
function largeCases(parity: ParityCase[]): ParityCase[] {
  const diamonds = sharedFrame('diamonds.csv');
  const rows = diamonds.take(Int32Array.from({ length: 5000 }, (_, i) => i));
  const frame = parity.find((c) => c.name === 'gbdt-regression')!.frame;
  const regression = { target: 'price', task: 'regression' as const };
  return [
    {
      name: 'gbdt-100-trees',
      artifact: trainGbdtModel(rows, { ...regression, params: { nTrees: 100, maxDepth: 6 } }).artifact,
      frame,
    },
    {
      name: 'forest-depth-14',
      artifact: trainForestModel(rows, { ...regression, params: { nTrees: 5, maxDepth: 14 } }).artifact,
      frame,
    },
  ];
}

const parity = parityCases();
const cases = [...parity, ...stackedCases(), ...largeCases(parity)];
const measured: string[] = [];

describe.each(['duckdb', 'postgres'] as const)('SQL export scored in %s', (dialect) => {
  let db: Awaited<ReturnType<typeof openDuck>> | Awaited<ReturnType<typeof openPostgres>>;
  const loaded = new Map<Frame, string>();

  beforeAll(async () => {
    db = dialect === 'duckdb' ? await openDuck() : await openPostgres();
  });
  afterAll(async () => {
    await db.close();
    if (dialect === 'postgres') console.log(`SQL export max differences:\n${measured.join('\n')}`);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s equals predictFrame to 1e-9', async (name, parity) => {
    let table = loaded.get(parity.frame);
    if (table === undefined) {
      table = `rows_${loaded.size}`;
      await db.load(table, parity.frame);
      loaded.set(parity.frame, table);
    }
    const sql = exportSql(parity.artifact, { dialect, table }).replace(/;\s*$/, '');
    const scores = await db.query(`SELECT * FROM (\n${sql}\n) AS scored ORDER BY row_id`);
    const result = compare(parity.artifact, parity.frame, scores);
    measured.push(`  ${dialect} ${name}: ${result.maxDifference}`);
  });
});

// -- Edge values: quotes in names and categories, NaN and ±Infinity stored as such, boolean spellings, unseen values. --

const NUMBER = `it's "x"`;
const NAME = 'na\'me "q"';

function edgeTraining(): Frame {
  const n = 400;
  const x = new Float64Array(n);
  const nameCodes = new Int32Array(n);
  const flagCodes = new Int32Array(n);
  const yCodes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = i % 13 === 0 ? NaN : ((i * 37) % 101) / 10;
    nameCodes[i] = i % 17 === 0 ? -1 : i % 3;
    flagCodes[i] = (i * 7) % 5 < 2 ? 1 : 0;
    yCodes[i] = x[i]! > 5 || nameCodes[i] === 0 || (flagCodes[i] === 1 && i % 4 === 0) ? 1 : 0;
  }
  return Frame.fromColumns([
    { kind: 'number', name: NUMBER, values: x },
    { kind: 'category', name: NAME, codes: nameCodes, dictionary: ["O'Brien", 'plain', 'x"y'] },
    { kind: 'category', name: 'flag', codes: flagCodes, dictionary: ['no', 'yes'] },
    { kind: 'category', name: 'y', codes: yCodes, dictionary: ["it's no", "it's yes"] },
  ]);
}

/** Rows the model never saw the like of: NaN, ±Infinity, spelled booleans, unseen and missing categories. */
function edgeRows(): Frame {
  const xs = [NaN, Infinity, -Infinity, 0, 5.05, 7.3, 1e300, -0, 2.5, 9.9];
  const names = ["O'Brien", 'plain', 'x"y', "o'brien", 'unseen', '', ' plain'];
  const flags = ['yes', 'no', 'YES ', ' No', 'true', 'f', '1', 'maybe', 'Yes'];
  const n = 300;
  const dictionary = (values: string[]) => values;
  return Frame.fromColumns([
    { kind: 'number', name: NUMBER, values: Float64Array.from({ length: n }, (_, i) => xs[i % xs.length]!) },
    {
      kind: 'category',
      name: NAME,
      codes: Int32Array.from({ length: n }, (_, i) => (i % 11 === 0 ? -1 : i % names.length)),
      dictionary: dictionary(names),
    },
    {
      kind: 'category',
      name: 'flag',
      codes: Int32Array.from({ length: n }, (_, i) => (i % 13 === 0 ? -1 : (i * 5) % flags.length)),
      dictionary: dictionary(flags),
    },
  ]);
}

describe.each(['duckdb', 'postgres'] as const)('SQL export edge values in %s', (dialect) => {
  const training = edgeTraining();
  const rows = edgeRows();
  const task = { target: 'y', task: 'classification' as const };
  const models: [string, ModelArtifact][] = [
    ['glm', trainGlmModel(training, task).artifact],
    ['gbdt', trainGbdtModel(training, { ...task, params: { nTrees: 15, maxDepth: 4 } }).artifact],
    [
      'gbdt-target-encoded',
      trainGbdtModel(training, { ...task, params: { nTrees: 5, categoricalEncoding: 'target' } }).artifact,
    ],
  ];
  let db: Awaited<ReturnType<typeof openDuck>> | Awaited<ReturnType<typeof openPostgres>>;

  beforeAll(async () => {
    db = dialect === 'duckdb' ? await openDuck() : await openPostgres();
    await db.load('edge', rows, true);
  });
  afterAll(async () => {
    await db.close();
  });

  it.each(models)('%s: sqlScoreColumns over quoted columns equal predictFrame', async (_name, artifact) => {
    const columns = sqlScoreColumns(artifact, { dialect });
    expect(columns.map((c) => c.name)).toEqual(['probability', 'label']);
    const select = columns.map((c) => `${c.sql} AS ${quoteIdentifier(c.name)}`).join(',\n');
    const scores = await db.query(`SELECT row_id, ${select} FROM edge ORDER BY row_id`);
    compare(artifact, rows, scores);
  });

  it.each(models)('%s: exportSql keeps the table columns and equals predictFrame', async (_name, artifact) => {
    const sql = exportSql(artifact, { dialect, table: 'edge' }).replace(/;\s*$/, '');
    const scores = await db.query(`SELECT * FROM (\n${sql}\n) AS scored ORDER BY row_id`);
    expect([...scores.columns.keys()]).toEqual(['row_id', NUMBER, NAME, 'flag', 'probability', 'label']);
    expect(scores.columns.get(NAME)!.slice(0, 2)).toEqual([null, 'plain']);
    compare(artifact, rows, scores);
  });
});
