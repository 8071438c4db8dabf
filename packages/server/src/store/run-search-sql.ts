// Compiles a parsed run filter and ordering into one SQL query over runs and their params, tags and latest metrics.
//
// Each clause becomes an EXISTS on the run's params, tags or latest metrics (indexed by run and key), so clauses
// combine with AND whatever their entity. LIKE keeps MLflow's case-sensitive meaning on SQLite too (where LIKE is
// case-insensitive) by comparing through GLOB; ILIKE lowers both sides.

import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { FilterClause, OrderKey } from '../tracking/run-filter.js';
import type { RunSearch } from './metadata-store.js';
import type { Dialect } from './migrations.js';
import type { Database } from './schema.js';

/** MLflow's run statuses and ours; either spelling is accepted in filters. */
export const STATUS_FROM_MLFLOW: Record<string, string> = {
  RUNNING: 'running',
  SCHEDULED: 'queued',
  FINISHED: 'succeeded',
  FAILED: 'failed',
  KILLED: 'killed',
};

const statusValue = (value: string): string => STATUS_FROM_MLFLOW[value.toUpperCase()] ?? value.toLowerCase();

/** `value` compared with `pattern` as SQL LIKE does on PostgreSQL: case-sensitive, `%` and `_` wildcards. */
function likeSql(
  dialect: Dialect,
  value: RawBuilder<unknown>,
  pattern: string,
  insensitive: boolean,
): RawBuilder<SqlBool> {
  if (insensitive) return sql<SqlBool>`lower(${value}) like lower(${pattern})`;
  if (dialect === 'postgres') return sql<SqlBool>`${value} like ${pattern}`;
  // GLOB is SQLite's case-sensitive matcher: translate the LIKE pattern, escaping GLOB's own specials.
  let glob = '';
  for (const c of pattern)
    glob += c === '%' ? '*' : c === '_' ? '?' : c === '*' || c === '?' || c === '[' ? `[${c}]` : c;
  return sql<SqlBool>`${value} glob ${glob}`;
}

function compare(
  dialect: Dialect,
  value: RawBuilder<unknown>,
  clause: FilterClause,
  convert: (v: string) => string | number = (v) => v,
): RawBuilder<SqlBool> {
  const v = clause.value;
  switch (clause.comparator) {
    case 'LIKE':
    case 'ILIKE':
      return likeSql(dialect, value, String(v), clause.comparator === 'ILIKE');
    case 'IN':
    case 'NOT IN': {
      const list = (v as string[]).map(convert);
      if (list.length === 0) return clause.comparator === 'IN' ? sql<SqlBool>`1 = 0` : sql<SqlBool>`1 = 1`;
      const not = clause.comparator === 'NOT IN' ? sql`not ` : sql``;
      return sql<SqlBool>`${value} ${not}in (${sql.join(list)})`;
    }
    default: {
      const right = typeof v === 'number' ? v : convert(String(v));
      return sql<SqlBool>`${value} ${sql.raw(clause.comparator)} ${right}`;
    }
  }
}

/** Milliseconds since the epoch as our stored ISO text, which compares in time order. */
const isoOf = (ms: number): string => new Date(ms).toISOString();

function attributeClause(dialect: Dialect, clause: FilterClause): RawBuilder<SqlBool> {
  switch (clause.key) {
    case 'run_id':
      return compare(dialect, sql`r.id`, clause);
    case 'run_name':
      return compare(dialect, sql`r.name`, clause);
    case 'status':
      return compare(dialect, sql`r.status`, clause, statusValue);
    case 'lifecycle_stage':
      return compare(dialect, sql`r.lifecycle_stage`, clause);
    case 'user_id':
      // MLflow's user is a name; runs keep the user's id.
      return sql<SqlBool>`exists (select 1 from users u where u.id = r.created_by and ${compare(dialect, sql`u.name`, clause)})`;
    case 'start_time':
      return compare(dialect, sql`coalesce(r.started_at, r.created_at)`, {
        ...clause,
        value: isoOf(Number(clause.value)),
      });
    case 'end_time':
      return compare(dialect, sql`r.finished_at`, { ...clause, value: isoOf(Number(clause.value)) });
    case 'artifact_uri':
      // Every run's artifacts live under its own id: the URI says nothing a filter on run_id would not.
      return compare(dialect, sql`'runs/' || r.id || '/artifacts'`, clause);
    default:
      return sql<SqlBool>`1 = 0`;
  }
}

function clauseSql(dialect: Dialect, clause: FilterClause): RawBuilder<SqlBool> {
  switch (clause.entity) {
    case 'metric':
      return sql<SqlBool>`exists (select 1 from run_latest_metrics m where m.run_id = r.id and m.key = ${clause.key}
        and m.is_nan = 0 and ${compare(dialect, sql`m.value`, clause)})`;
    case 'param':
      return sql<SqlBool>`exists (select 1 from run_params p where p.run_id = r.id and p.key = ${clause.key}
        and ${compare(dialect, sql`p.value`, clause)})`;
    case 'tag':
      return sql<SqlBool>`exists (select 1 from run_tags t where t.run_id = r.id and t.key = ${clause.key}
        and ${compare(dialect, sql`t.value`, clause)})`;
    case 'dataset':
      // A training run's input: its dataset's name, and the version hash as the digest.
      if (clause.key === 'name') {
        return sql<SqlBool>`exists (select 1 from datasets d where d.id = r.dataset_id and ${compare(dialect, sql`d.name`, clause)})`;
      }
      if (clause.key === 'digest') return compare(dialect, sql`r.dataset_version`, clause);
      return sql<SqlBool>`1 = 0`;
    case 'attribute':
      return attributeClause(dialect, clause);
  }
}

/** The sort value of one order key, NULL where the run has none. */
function orderValue(key: OrderKey): RawBuilder<unknown> {
  switch (key.entity) {
    case 'metric':
      return sql`(select m.value from run_latest_metrics m where m.run_id = r.id and m.key = ${key.key})`;
    case 'param':
      return sql`(select p.value from run_params p where p.run_id = r.id and p.key = ${key.key})`;
    case 'tag':
      return sql`(select t.value from run_tags t where t.run_id = r.id and t.key = ${key.key})`;
    case 'dataset':
      return key.key === 'digest'
        ? sql`r.dataset_version`
        : sql`(select d.name from datasets d where d.id = r.dataset_id)`;
    case 'attribute':
      switch (key.key) {
        case 'run_name':
          return sql`r.name`;
        case 'status':
          return sql`r.status`;
        case 'end_time':
          return sql`r.finished_at`;
        case 'run_id':
          return sql`r.id`;
        case 'user_id':
          return sql`r.created_by`;
        default:
          return sql`coalesce(r.started_at, r.created_at)`;
      }
  }
}

/** The query for one page (`limit` rows from `offset`): newest first unless ordered otherwise, ties by id. */
export function runSearchQuery(db: Kysely<Database>, dialect: Dialect, q: RunSearch) {
  let query = db
    .selectFrom('runs as r')
    .selectAll('r')
    .where('r.experiment_id', 'in', q.experimentIds)
    .limit(q.limit)
    .offset(q.offset);
  if (q.stage !== 'all') query = query.where('r.lifecycle_stage', '=', q.stage);
  for (const clause of q.filter) query = query.where(clauseSql(dialect, clause) as Expression<SqlBool>);
  // NULLs last in both directions, as MLflow sorts runs that lack the key.
  for (const key of q.orderBy) {
    const value = orderValue(key);
    query = query.orderBy(sql`${value} is null`).orderBy(value, key.ascending ? 'asc' : 'desc');
  }
  if (q.orderBy.length === 0) query = query.orderBy(sql`coalesce(r.started_at, r.created_at)`, 'desc');
  return query.orderBy('r.id', 'desc');
}
