// The data room's public surface: DuckDB access, safe paths, ingestion into snapshots, profiles and frames.

export { openDuckDb, type DuckDb, type DuckDbOptions } from './duckdb.js';
export { resolveAllowedPath } from './allowed-path.js';
export { isGlob } from './allowed-glob.js';
export { resolveFileSource } from './file-source.js';
export { ingestFile, type IngestInput, type IngestOptions, type IngestResult } from './ingest-file.js';
export { profileSnapshot } from './profile-snapshot.js';
export { describeParquet, type SnapshotColumn } from './describe-parquet.js';
export { loadFrame } from './load-frame.js';
export { sourceFormatOf, type SourceFormat } from './source-format.js';
export type { ColumnProfile, ColumnType, DatasetProfile } from './types.js';
