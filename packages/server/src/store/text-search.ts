// Plain-substring search over one table's name (and description) with LIKE, ranked the same way on every dialect.

import { sql, type Kysely } from 'kysely';
import type { SearchRow, TagSearchRow } from './metadata-store.js';
import type { Database } from './schema.js';

/** `text` with LIKE's wildcards and the escape character taken literally (used with `ESCAPE '\'`). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `lower(column) LIKE pattern ESCAPE '\'`: case-insensitive on SQLite and PostgreSQL alike (ASCII on SQLite). */
export const lowerLike = (column: string, pattern: string) =>
  sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;

/**
 * Rows of `table` in the given projects whose name (or description, when the table has one) contains `text`, best
 * first: exact name, name prefix, name contains, description contains; then by lowered name and id.
 */
export async function searchTable(
  db: Kysely<Database>,
  table: 'datasets' | 'models' | 'runs' | 'endpoints',
  withDescription: boolean,
  projectIds: string[],
  text: string,
  limit: number,
): Promise<SearchRow[]> {
  if (projectIds.length === 0 || text === '' || limit <= 0) return [];
  const lowered = text.toLowerCase();
  const escaped = escapeLike(lowered);
  const contains = `%${escaped}%`;
  const inName = lowerLike('name', contains);
  const where = withDescription ? sql`(${inName} or ${lowerLike('description', contains)})` : inName;
  const tier = sql`case when lower(name) = ${lowered} then 0 when ${lowerLike('name', `${escaped}%`)} then 1 when ${inName} then 2 else 3 end`;
  const description = withDescription ? sql`description` : sql`''`;
  const { rows } = await sql<{
    id: string;
    project_id: string;
    name: string;
    description: string;
    match_rank: unknown;
  }>`
    select id, project_id, name, ${description} as description, ${tier} as match_rank from ${sql.table(table)}
    where project_id in (${sql.join(projectIds)}) and ${where}
    order by match_rank, lower(name), name, id
    limit ${limit}`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    projectId: r.project_id,
    name: r.name,
    description: r.description,
    rank: Number(r.match_rank) as SearchRow['rank'],
  }));
}

/**
 * Datasets in the given projects whose latest version's profile text contains `text` (JSON-encoded, lowered), with
 * that version's column names; the caller keeps the columns whose name really contains it.
 */
export async function searchLatestProfiles(
  db: Kysely<Database>,
  projectIds: string[],
  text: string,
  limit: number,
): Promise<{ id: string; projectId: string; name: string; columns: string[] }[]> {
  if (projectIds.length === 0 || text === '' || limit <= 0) return [];
  // JSON escapes character by character, so a substring of a column name is a substring of the encoded profile.
  const encoded = JSON.stringify(text.toLowerCase()).slice(1, -1);
  const { rows } = await sql<{ id: string; project_id: string; name: string; profile: string }>`
    select d.id, d.project_id, d.name, v.profile from datasets d
    join dataset_versions v on v.dataset_id = d.id
    where d.project_id in (${sql.join(projectIds)})
      and v.seq = (select max(seq) from dataset_versions w where w.dataset_id = d.id)
      and ${lowerLike('v.profile', `%${escapeLike(encoded)}%`)}
    order by lower(d.name), d.name, d.id
    limit ${limit}`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    projectId: r.project_id,
    name: r.name,
    columns: (JSON.parse(r.profile) as { columns?: { name: string }[] }).columns?.map((c) => c.name) ?? [],
  }));
}

/** Datasets in the given projects with a tag whose key or value contains `text`: the first such tag by key each. */
export async function searchDatasetTags(
  db: Kysely<Database>,
  projectIds: string[],
  text: string,
  limit: number,
): Promise<TagSearchRow[]> {
  if (projectIds.length === 0 || text === '' || limit <= 0) return [];
  const contains = `%${escapeLike(text.toLowerCase())}%`;
  const { rows } = await sql<{ id: string; project_id: string; name: string; key: string; value: string }>`
    select d.id, d.project_id, d.name, t.key, t.value from datasets d
    join dataset_tags t on t.dataset_id = d.id
    where d.project_id in (${sql.join(projectIds)})
      and (${lowerLike('t.key', contains)} or ${lowerLike('t.value', contains)})
      and t.key = (
        select min(u.key) from dataset_tags u
        where u.dataset_id = d.id and (${lowerLike('u.key', contains)} or ${lowerLike('u.value', contains)})
      )
    order by lower(d.name), d.name, d.id
    limit ${limit}`.execute(db);
  return rows.map((r) => ({ id: r.id, projectId: r.project_id, name: r.name, key: r.key, value: r.value }));
}
