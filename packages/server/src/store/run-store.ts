// Metadata store, runs: every run's state, and its params, tags and metrics (latest values and full history).

import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { LifecycleStage, MetricValue } from '@modelyard/client';
import type {
  AuditBy,
  NewRun,
  PageRequest,
  Paged,
  RunData,
  RunRecord,
  RunSearch,
  RunUpdate,
  SearchRow,
  StoredMetricPoint,
  MetricColumns,
  RunInputRecord,
} from './metadata-store.js';
import { ParamConflictError } from './metadata-store.js';
import type { Dialect } from './migrations.js';
import { metricOrderedPage, runSearchQuery } from './run-search-sql.js';
import type { Database, RunsTable } from './schema.js';
import { auditWrite, now, paged } from './store-support.js';
import { searchTable } from './text-search.js';

/** Rows per multi-row INSERT: 7 values each stays far below either dialect's parameter limit. */
const INSERT_CHUNK = 500;

export const metricValueOf = (n: number): MetricValue =>
  Number.isNaN(n) ? 'NaN' : n === Infinity ? 'Infinity' : n === -Infinity ? '-Infinity' : n;

const storedValue = (r: { value: number | null; is_nan: number }): number =>
  Number(r.is_nan) === 1 ? NaN : r.value === null ? NaN : Number(r.value);

interface RunDetails {
  params: Map<string, Record<string, string>>;
  metrics: Map<string, Record<string, MetricValue>>;
  tags: Map<string, Record<string, string>>;
}

function toRun(r: RunsTable, details: RunDetails): RunRecord {
  // Every logged param, with a training run's own params keeping their types.
  const typed = JSON.parse(r.params) as RunRecord['params'];
  return {
    id: r.id,
    projectId: r.project_id,
    experimentId: r.experiment_id,
    parentRunId: r.parent_run_id,
    name: r.name,
    kind: r.kind as RunRecord['kind'],
    status: r.status as RunRecord['status'],
    lifecycleStage: r.lifecycle_stage as LifecycleStage,
    task: r.task as RunRecord['task'],
    algorithm: r.algorithm,
    target: r.target,
    datasetId: r.dataset_id,
    datasetVersion: r.dataset_version,
    params: { ...details.params.get(r.id), ...typed },
    metrics: details.metrics.get(r.id) ?? {},
    tags: details.tags.get(r.id) ?? {},
    progress: Number(r.progress),
    error: r.error === null ? null : (JSON.parse(r.error) as RunRecord['error']),
    environment: r.environment === null ? null : (JSON.parse(r.environment) as RunRecord['environment']),
    artifactKey: r.artifact_key,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
    createdBy: r.created_by,
  };
}

function group<T>(rows: { run_id: string; key: string }[], value: (row: never) => T): Map<string, Record<string, T>> {
  const out = new Map<string, Record<string, T>>();
  for (const row of rows) {
    let entry = out.get(row.run_id);
    if (!entry) out.set(row.run_id, (entry = {}));
    entry[row.key] = value(row as never);
  }
  return out;
}

/** Runs with their params, latest metrics and tags, in three queries for the lot. */
async function withDetails(db: Kysely<Database>, rows: RunsTable[]): Promise<RunRecord[]> {
  if (rows.length === 0) return [];
  const details: RunDetails = { params: new Map(), metrics: new Map(), tags: new Map() };
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const ids = rows.slice(i, i + INSERT_CHUNK).map((r) => r.id);
    const [params, metrics, tags] = await Promise.all([
      db.selectFrom('run_params').selectAll().where('run_id', 'in', ids).orderBy('key').execute(),
      db.selectFrom('run_latest_metrics').selectAll().where('run_id', 'in', ids).orderBy('key').execute(),
      db.selectFrom('run_tags').selectAll().where('run_id', 'in', ids).orderBy('key').execute(),
    ]);
    for (const [id, v] of group(params, (r: { value: string }) => r.value)) details.params.set(id, v);
    for (const [id, v] of group(metrics, (r: { value: number | null; is_nan: number }) =>
      metricValueOf(storedValue(r)),
    ))
      details.metrics.set(id, v);
    for (const [id, v] of group(tags, (r: { value: string }) => r.value)) details.tags.set(id, v);
  }
  return rows.map((r) => toRun(r, details));
}

/** The latest point per key of a batch: greatest step, then timestamp, then value (NaN lowest), as MLflow keeps it. */
function latestPerKey(points: StoredMetricPoint[]): StoredMetricPoint[] {
  const best = new Map<string, StoredMetricPoint>();
  const above = (a: number, b: number) => (Number.isNaN(b) && !Number.isNaN(a)) || a > b;
  for (const p of points) {
    const current = best.get(p.key);
    if (
      !current ||
      p.step > current.step ||
      (p.step === current.step &&
        (p.timestamp > current.timestamp || (p.timestamp === current.timestamp && above(p.value, current.value))))
    ) {
      best.set(p.key, p);
    }
  }
  return [...best.values()];
}

const metricRow = (runId: string, p: StoredMetricPoint) => ({
  run_id: runId,
  key: p.key,
  value: Number.isNaN(p.value) ? null : p.value,
  is_nan: Number.isNaN(p.value) ? 1 : 0,
  step: p.step,
  timestamp: p.timestamp,
});

export function runStore(db: Kysely<Database>, dialect: Dialect, sqlite?: BetterSqlite3.Database) {
  // The embedded store reads long histories as raw rows: half the time of one object per row. Prepared on first
  // use, after the migrations made the table.
  let rawHistory: BetterSqlite3.Statement | undefined;
  const historyStatement = () =>
    (rawHistory ??= sqlite
      ?.prepare(
        'select id, value, is_nan, step, timestamp from run_metrics where run_id = ? and key = ? and id > ? order by id limit ?',
      )
      .raw(true));
  return {
    async createRun(run: NewRun, by: AuditBy): Promise<RunRecord> {
      const row: RunsTable = {
        id: run.id,
        project_id: run.projectId,
        experiment_id: run.experimentId,
        parent_run_id: run.parentRunId,
        name: run.name,
        kind: run.kind,
        status: run.status ?? 'queued',
        lifecycle_stage: 'active',
        task: run.task,
        algorithm: run.algorithm,
        target: run.target,
        dataset_id: run.datasetId,
        dataset_version: run.datasetVersion,
        params: JSON.stringify(run.params),
        progress: 0,
        error: null,
        environment: null,
        artifact_key: null,
        created_at: now(),
        started_at: run.startedAt ?? null,
        finished_at: null,
        duration_ms: null,
        created_by: run.createdBy,
        deleted_at: null,
      };
      const params = Object.entries(run.params).map(([key, value]) => ({ run_id: run.id, key, value: String(value) }));
      const tags = Object.entries(run.tags ?? {}).map(([key, value]) => ({ run_id: run.id, key, value }));
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('runs').values(row).execute();
        if (params.length > 0) await trx.insertInto('run_params').values(params).execute();
        if (tags.length > 0) await trx.insertInto('run_tags').values(tags).execute();
        await auditWrite(trx, { ...by, projectId: run.projectId }, 'run', row.id);
      });
      return (await withDetails(db, [row]))[0]!;
    },

    async getRun(id: string): Promise<RunRecord | undefined> {
      const r = await db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
      return r && (await withDetails(db, [r]))[0];
    },

    async listRuns(projectId: string, page: PageRequest): Promise<Paged<RunRecord>> {
      let q = db
        .selectFrom('runs')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('lifecycle_stage', '=', 'active')
        .orderBy('id', 'desc')
        .limit(page.limit + 1);
      if (page.after) q = q.where('id', '<', page.after);
      return paged(await withDetails(db, await q.execute()), page.limit);
    },

    async updateRun(id: string, u: RunUpdate): Promise<void> {
      const set: Partial<RunsTable> = {};
      if (u.name !== undefined) set.name = u.name;
      if (u.status !== undefined) set.status = u.status;
      if (u.lifecycleStage !== undefined) {
        set.lifecycle_stage = u.lifecycleStage;
        set.deleted_at = u.lifecycleStage === 'deleted' ? now() : null;
      }
      if (u.progress !== undefined) set.progress = u.progress;
      if (u.error !== undefined) set.error = u.error === null ? null : JSON.stringify(u.error);
      if (u.environment !== undefined) set.environment = u.environment === null ? null : JSON.stringify(u.environment);
      if (u.artifactKey !== undefined) set.artifact_key = u.artifactKey;
      if (u.startedAt !== undefined) set.started_at = u.startedAt;
      if (u.finishedAt !== undefined) set.finished_at = u.finishedAt;
      if (u.durationMs !== undefined) set.duration_ms = u.durationMs;
      if (Object.keys(set).length === 0) return;
      await db.updateTable('runs').set(set).where('id', '=', id).execute();
    },

    async runsWithStatus(statuses: RunRecord['status'][]): Promise<RunRecord[]> {
      const rows = await db
        .selectFrom('runs')
        .selectAll()
        .where('status', 'in', statuses)
        .where('kind', '=', 'training')
        .orderBy('id')
        .execute();
      return withDetails(db, rows);
    },

    async listRunsOfDatasetVersion(datasetId: string, version: string, limit?: number): Promise<RunRecord[]> {
      // Trained on it, or read it as an input.
      let q = db
        .selectFrom('runs')
        .selectAll()
        .where((eb) =>
          eb.or([
            eb.and([eb('dataset_id', '=', datasetId), eb('dataset_version', '=', version)]),
            eb(
              'id',
              'in',
              eb
                .selectFrom('run_inputs')
                .select('run_id')
                .where('dataset_id', '=', datasetId)
                .where('version', '=', version),
            ),
          ]),
        )
        .orderBy('id');
      if (limit !== undefined) q = q.limit(limit);
      return withDetails(db, await q.execute());
    },

    async logRunData(runId: string, data: RunData): Promise<void> {
      const params = data.params ?? [];
      const tags = data.tags ?? [];
      const metrics = data.metrics ?? [];
      await db.transaction().execute(async (trx) => {
        if (params.length > 0) {
          await trx
            .insertInto('run_params')
            .values(params.map((p) => ({ run_id: runId, key: p.key, value: p.value })))
            .onConflict((oc) => oc.columns(['run_id', 'key']).doNothing())
            .execute();
          const stored = await trx
            .selectFrom('run_params')
            .select(['key', 'value'])
            .where('run_id', '=', runId)
            .where(
              'key',
              'in',
              params.map((p) => p.key),
            )
            .execute();
          const have = new Map(stored.map((r) => [r.key, r.value]));
          for (const p of params) {
            const old = have.get(p.key);
            if (old !== undefined && old !== p.value) throw new ParamConflictError(p.key, old, p.value);
          }
        }
        if (tags.length > 0) {
          await trx
            .insertInto('run_tags')
            .values(tags.map((t) => ({ run_id: runId, key: t.key, value: t.value })))
            .onConflict((oc) => oc.columns(['run_id', 'key']).doUpdateSet({ value: (eb) => eb.ref('excluded.value') }))
            .execute();
        }
        for (let i = 0; i < metrics.length; i += INSERT_CHUNK) {
          await trx
            .insertInto('run_metrics')
            .values(metrics.slice(i, i + INSERT_CHUNK).map((p) => metricRow(runId, p)))
            .execute();
        }
        const latest = latestPerKey(metrics);
        for (let i = 0; i < latest.length; i += INSERT_CHUNK) {
          await trx
            .insertInto('run_latest_metrics')
            .values(latest.slice(i, i + INSERT_CHUNK).map((p) => metricRow(runId, p)))
            .onConflict((oc) =>
              oc
                .columns(['run_id', 'key'])
                .doUpdateSet({
                  value: (eb) => eb.ref('excluded.value'),
                  is_nan: (eb) => eb.ref('excluded.is_nan'),
                  step: (eb) => eb.ref('excluded.step'),
                  timestamp: (eb) => eb.ref('excluded.timestamp'),
                })
                .where(
                  sql<boolean>`excluded.step > run_latest_metrics.step
                    or (excluded.step = run_latest_metrics.step and (excluded.timestamp > run_latest_metrics.timestamp
                      or (excluded.timestamp = run_latest_metrics.timestamp
                        and coalesce(excluded.value > run_latest_metrics.value, run_latest_metrics.is_nan = 1))))`,
                ),
            )
            .execute();
        }
      });
    },

    async addRunInputs(runId: string, inputs: RunInputRecord[]): Promise<void> {
      if (inputs.length === 0) return;
      await db
        .insertInto('run_inputs')
        .values(inputs.map((i) => ({ run_id: runId, dataset_id: i.datasetId, version: i.version, context: i.context })))
        .onConflict((oc) =>
          oc.columns(['run_id', 'dataset_id', 'version']).doUpdateSet({ context: (eb) => eb.ref('excluded.context') }),
        )
        .execute();
    },

    async listRunInputs(runId: string): Promise<RunInputRecord[]> {
      const rows = await db
        .selectFrom('run_inputs')
        .selectAll()
        .where('run_id', '=', runId)
        .orderBy('dataset_id')
        .orderBy('version')
        .execute();
      return rows.map((r) => ({ datasetId: r.dataset_id, version: r.version, context: r.context }));
    },

    async deleteRunTag(runId: string, key: string): Promise<boolean> {
      const result = await db.deleteFrom('run_tags').where('run_id', '=', runId).where('key', '=', key).execute();
      return Number(result[0]?.numDeletedRows ?? 0) > 0;
    },

    async metricHistory(
      runId: string,
      key: string,
      page: { limit: number; afterId?: number },
    ): Promise<{ points: StoredMetricPoint[]; lastId: number | null }> {
      let q = db
        .selectFrom('run_metrics')
        .select(['id', 'value', 'is_nan', 'step', 'timestamp'])
        .where('run_id', '=', runId)
        .where('key', '=', key)
        .orderBy('id')
        .limit(page.limit);
      if (page.afterId !== undefined) q = q.where('id', '>', page.afterId);
      const rows = await q.execute();
      return {
        points: rows.map((r) => ({ key, value: storedValue(r), step: Number(r.step), timestamp: Number(r.timestamp) })),
        lastId: rows.length === 0 ? null : Number(rows[rows.length - 1]!.id),
      };
    },

    async metricHistoryColumns(
      runId: string,
      key: string,
      page: { limit: number; afterId?: number },
    ): Promise<MetricColumns> {
      const after = page.afterId ?? 0;
      const raw = historyStatement();
      const rows = raw
        ? (raw.all(runId, key, after, page.limit) as [number, number | null, number, number, number][])
        : (
            await db
              .selectFrom('run_metrics')
              .select(['id', 'value', 'is_nan', 'step', 'timestamp'])
              .where('run_id', '=', runId)
              .where('key', '=', key)
              .where('id', '>', after)
              .orderBy('id')
              .limit(page.limit)
              .execute()
          ).map((r) => [Number(r.id), r.value, Number(r.is_nan), Number(r.step), Number(r.timestamp)] as const);
      const n = rows.length;
      const out: MetricColumns = {
        values: new Float64Array(n),
        steps: new Float64Array(n),
        timestamps: new Float64Array(n),
        lastId: n === 0 ? null : Number(rows[n - 1]![0]),
      };
      for (let i = 0; i < n; i++) {
        const r = rows[i]!;
        out.values[i] = r[2] === 1 || r[1] === null ? NaN : Number(r[1]);
        out.steps[i] = Number(r[3]);
        out.timestamps[i] = Number(r[4]);
      }
      return out;
    },

    async findRuns(q: RunSearch): Promise<{ runs: RunRecord[]; more: boolean }> {
      if (q.experimentIds.length === 0) return { runs: [], more: false };
      const page = { ...q, limit: q.limit + 1 };
      const [only] = q.orderBy;
      const rows =
        q.orderBy.length === 1 && only?.entity === 'metric'
          ? await metricOrderedPage(db, dialect, page, only)
          : ((await runSearchQuery(db, dialect, page).execute()) as RunsTable[]);
      return { runs: await withDetails(db, rows.slice(0, q.limit) as RunsTable[]), more: rows.length > q.limit };
    },

    searchRuns(projectIds: string[], text: string, limit: number): Promise<SearchRow[]> {
      return searchTable(db, 'runs', false, projectIds, text, limit);
    },
  };
}
