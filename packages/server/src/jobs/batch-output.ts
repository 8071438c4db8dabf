// The output side of a batch run: the kept input columns joined row for row to the part files' outputs in one
// snapshot, its profile (the input's for the kept columns, a fresh one for the outputs), hash and storage.

import { stat } from 'node:fs/promises';
import type { ColumnProfile, DatasetProfile, SemanticType } from '@modelyard/client';
import type { ModelArtifact } from '@modelyard/engine';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { DuckDb } from '../data/duckdb.js';
import type { IngestResult } from '../data/ingest-file.js';
import { SNAPSHOT_OPTIONS } from '../data/ingest-file.js';
import { profileSnapshot } from '../data/profile-snapshot.js';
import { sha256File } from '../data/sha256-file.js';
import { quoteIdentifier, quoteLiteral } from '../data/sql-quote.js';
import { unprocessable } from '../errors.js';

/** The profiler's cut-off for exact distinct counts (data/profile-snapshot.ts): a profile's figures depend on it. */
const PROFILE_COLUMN_REGIME = 200;

export interface OutputPlan {
  inputPath: string;
  partPaths: string[];
  artifact: ModelArtifact;
  /** Input columns copied to the output, in order. */
  keep: string[];
  /** Names of the added columns, in part-file order (o0…, then the label). */
  added: string[];
}

/** SELECT items turning part-file columns into the named outputs (label codes back into class names). */
function outputItems(plan: OutputPlan, alias: string): string[] {
  const classification = plan.artifact.task === 'classification';
  return plan.added.map((name, i) => {
    if (classification && i === plan.added.length - 1) {
      const classes = (plan.artifact.classes ?? []).map(quoteLiteral).join(', ');
      return `list_extract([${classes}]::VARCHAR[], ${alias}.label + 1) AS ${quoteIdentifier(name)}`;
    }
    return `${alias}.o${i} AS ${quoteIdentifier(name)}`;
  });
}

/**
 * Writes the output snapshot at `snapshot` (DuckDB keeps file and list order, so POSITIONAL JOIN pairs each input row
 * with its own outputs) and, at `outputsOnly`, the added columns alone for profiling.
 */
export async function combineParts(duck: DuckDb, plan: OutputPlan, snapshot: string, outputsOnly: string) {
  const parts = `read_parquet([${plan.partPaths.map(quoteLiteral).join(', ')}])`;
  const from =
    plan.keep.length === 0
      ? `${parts} p`
      : `(SELECT ${plan.keep.map(quoteIdentifier).join(', ')} FROM read_parquet(${quoteLiteral(plan.inputPath)})) i ` +
        `POSITIONAL JOIN ${parts} p`;
  const select = [...plan.keep.map((k) => `i.${quoteIdentifier(k)}`), ...outputItems(plan, 'p')].join(', ');
  await duck.withConnection(async (c) => {
    await c.run(`COPY (SELECT ${select} FROM ${from}) TO ${quoteLiteral(snapshot)} (${SNAPSHOT_OPTIONS})`);
    await c.run(
      `COPY (SELECT ${outputItems(plan, 'p').join(', ')} FROM ${parts} p) TO ${quoteLiteral(outputsOnly)} ` +
        '(FORMAT parquet)',
    );
  });
}

/**
 * The output's profile without profiling the input columns again: they hold the very values the input version was
 * profiled on, row for row, so their column profiles are taken from it. Only when the profiler would have treated them
 * alike (both sides within its column cut-off, every kept column in the input's profile); otherwise all is profiled.
 */
export async function outputProfile(
  duck: DuckDb,
  input: DatasetProfile,
  plan: OutputPlan,
  snapshot: string,
  outputsOnly: string,
): Promise<DatasetProfile> {
  const byName = new Map(input.columns.map((c) => [c.name, c]));
  const total = plan.keep.length + plan.added.length;
  const reusable =
    plan.keep.every((k) => byName.has(k)) &&
    input.columns.length <= PROFILE_COLUMN_REGIME &&
    total <= PROFILE_COLUMN_REGIME;
  if (!reusable) return profileSnapshot(duck, snapshot);
  const outputs = await profileSnapshot(duck, outputsOnly);
  if (outputs.rows !== input.rows) return profileSnapshot(duck, snapshot);
  const columns: ColumnProfile[] = [...plan.keep.map((k) => byName.get(k)!), ...outputs.columns];
  const semanticTypes: Partial<Record<SemanticType, number>> = {};
  for (const c of columns) {
    if (c.semanticType !== undefined) semanticTypes[c.semanticType] = (semanticTypes[c.semanticType] ?? 0) + 1;
  }
  const missingCells = columns.reduce((sum, c) => sum + c.nulls, 0);
  return { rows: input.rows, columns, summary: { columns: columns.length, missingCells, semanticTypes } };
}

/** The last steps of every snapshot (as data/ingest-file.ts storeSnapshot), with the profile made above. */
export async function storeOutput(
  artifacts: ArtifactStore,
  snapshot: string,
  profile: DatasetProfile,
): Promise<IngestResult> {
  if (profile.rows === 0) throw unprocessable('empty_dataset', 'The input has no rows: there is nothing to register.');
  const version = await sha256File(snapshot);
  const bytes = (await stat(snapshot)).size;
  const snapshotKey = `snapshots/${version}.parquet`;
  if (!(await artifacts.exists(snapshotKey))) await artifacts.putFile(snapshotKey, snapshot);
  return { version, snapshotKey, rows: profile.rows, bytes, profile };
}
