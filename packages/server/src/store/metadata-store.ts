// The MetadataStore interface: every room reads and writes metadata through it, never through a driver directly.

import type { BatchStore } from './batch-store.js';
import type { GateStore } from './gate-store.js';
import type { DriftStore } from './drift-store.js';
import type { RetrainingStore } from './retraining-store.js';
import type { ProbeStore } from './probe-store.js';
import type { AlertStore } from './alert-store.js';
import type { FilterClause, OrderKey } from '../tracking/run-filter.js';
import type { AutomlUpdate } from './automl-store.js';
import type {
  AuditEvent,
  DatasetProfile,
  InferenceRecord,
  Prediction,
  FeatureRecord,
  Role,
  AutomlJob,
  Experiment,
  LifecycleStage,
  Run,
  RunKind,
  RunStatus,
  Study,
  StudyStatus,
  Task,
} from '@modelyard/client';

export interface PageRequest {
  limit: number;
  /** The last id of the previous page. */
  after?: string | undefined;
}

export interface Paged<T> {
  items: T[];
  /** The id to continue after, or null at the end. */
  next: string | null;
}

export interface UserRecord {
  id: string;
  name: string;
  isAdmin: boolean;
  createdAt: string;
}

export interface TokenRecord {
  id: string;
  userId: string;
  name: string;
  createdAt: string;
}

export interface ProjectRecord {
  id: string;
  name: string;
  description: string;
  createdAt: string;
  createdBy: string;
}

export interface MemberRecord {
  projectId: string;
  userId: string;
  userName: string;
  role: Role;
}

export interface DatasetRecord {
  id: string;
  projectId: string;
  name: string;
  description: string;
  createdAt: string;
  createdBy: string;
  tags: Record<string, string>;
  /** Which versions garbage collection keeps; null keeps every version. */
  retention: RetentionPolicy | null;
}

/**
 * A version outside both limits may be deleted by garbage collection (a limit left out does not keep anything). The
 * latest version, pinned versions and versions a run or a derived version was made from are always kept.
 */
export interface RetentionPolicy {
  /** Keep the newest N versions. */
  keepLast: number | null;
  /** Keep versions created in the last N days. */
  maxAgeDays: number | null;
}

export interface DatasetVersionRecord {
  datasetId: string;
  version: string;
  seq: number;
  snapshotKey: string;
  rows: number;
  bytes: number;
  source: string;
  profile: DatasetProfile;
  createdAt: string;
  createdBy: string;
  /** Kept by garbage collection whatever the policy says. */
  pinned: boolean;
  tags: Record<string, string>;
}

/** Where a dataset's versions are read from again on refresh (uploads have none). */
export type DatasetSource =
  | { kind: 'file'; path: string; skipBadRows?: boolean }
  | { kind: 'sql'; connectionId: string; query: string }
  /** A workbench query over the project's datasets (a derived dataset). */
  | { kind: 'query'; query: string };

/** A dataset version named by its dataset and hash. */
export interface DatasetVersionRef {
  datasetId: string;
  version: string;
}

/** A run as stored: the wire `Run` plus where its model artifact lives. */
export interface RunRecord extends Run {
  artifactKey: string | null;
}

/** The training fields of a run that is not trained here (tracked, command and study runs). */
export const NOT_TRAINED = {
  task: null,
  algorithm: null,
  target: null,
  datasetId: null,
  datasetVersion: null,
  params: {},
} as const satisfies Partial<NewRun>;

export interface NewRun {
  id: string;
  projectId: string;
  experimentId: string;
  parentRunId: string | null;
  name: string;
  kind: RunKind;
  status?: RunStatus;
  startedAt?: string | null;
  task: Task | null;
  algorithm: string | null;
  target: string | null;
  datasetId: string | null;
  datasetVersion: string | null;
  /** A training run's typed params (also logged as params). */
  params: Record<string, number | string | boolean>;
  tags?: Record<string, string>;
  createdBy: string;
}

export type ExperimentRecord = Experiment;

/** A point as stored; `value` is NaN for NaN. */
export interface StoredMetricPoint {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export type NewAutomlJob = Omit<
  AutomlJob,
  'id' | 'status' | 'stage' | 'studyId' | 'leaderRunId' | 'modelVersion' | 'error' | 'createdAt' | 'finishedAt'
>;
export type { AutomlUpdate };

/** A study as stored: the wire `Study` without the counts and best value computed from its trials. */
export type StudyRecord = Omit<Study, 'trials' | 'bestValue'>;
export type NewStudy = Omit<StudyRecord, 'id' | 'status' | 'bestRunId' | 'createdAt' | 'finishedAt'>;

/** A page of one metric's points as columns (NaN for NaN); `lastId` pages on. */
export interface MetricColumns {
  values: Float64Array;
  steps: Float64Array;
  timestamps: Float64Array;
  lastId: number | null;
}

/** Params, metrics and tags logged in one call; applied all or nothing. */
export interface RunData {
  params?: { key: string; value: string }[];
  metrics?: StoredMetricPoint[];
  tags?: { key: string; value: string }[];
}

/** A dataset version a run read, and what for (`training`, `evaluation`, ... — free text, as MLflow's context). */
export interface RunInputRecord {
  datasetId: string;
  version: string;
  context: string;
}

/** A param logged again with another value: MLflow refuses it, and so do we. */
export class ParamConflictError extends Error {
  constructor(
    readonly key: string,
    readonly oldValue: string,
    readonly newValue: string,
  ) {
    super(`Param '${key}' was already logged with value '${oldValue}'; params cannot change (got '${newValue}').`);
  }
}

export interface RunSearch {
  experimentIds: string[];
  filter: FilterClause[];
  orderBy: OrderKey[];
  stage: LifecycleStage | 'all';
  limit: number;
  offset: number;
}

export type RunUpdate = Partial<
  Pick<
    RunRecord,
    | 'name'
    | 'status'
    | 'lifecycleStage'
    | 'progress'
    | 'error'
    | 'environment'
    | 'artifactKey'
    | 'startedAt'
    | 'finishedAt'
    | 'durationMs'
  >
>;

export interface ModelRecord {
  id: string;
  projectId: string;
  name: string;
  description: string;
  createdAt: string;
  createdBy: string;
  aliases: Record<string, number>;
  latestVersion: number | null;
}

export interface ModelVersionRecord {
  modelId: string;
  version: number;
  runId: string;
  createdAt: string;
  createdBy: string;
}

export interface EndpointRecord {
  id: string;
  projectId: string;
  name: string;
  modelRef: string;
  canary: { modelRef: string; share: number } | null;
  shadow: { modelRef: string; share: number } | null;
  maxConcurrency: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string | null;
}

/** What PATCH may change on an endpoint; null removes a canary or shadow. */
export interface EndpointChanges {
  modelRef?: string;
  canary?: { modelRef: string; share: number } | null;
  shadow?: { modelRef: string; share: number } | null;
  maxConcurrency?: number;
}

/** A shadow version's answer to a mirrored request. */
export interface ShadowEntry {
  requestId: string;
  endpointId: string;
  modelRef: string;
  modelVersion: number | null;
  outputs: Prediction[] | null;
  error: string | null;
  latencyMs: number;
}

/** A database connection; `sealedSecret` is the password encrypted under the server key, never sent out. */
export interface ConnectionRecord {
  id: string;
  projectId: string;
  name: string;
  kind: 'postgres' | 'mysql' | 'trino';
  host: string;
  port: number;
  database: string;
  user: string;
  options: { ssl?: boolean };
  sealedSecret: string;
  createdAt: string;
  createdBy: string;
}

export interface NewInference {
  /** Given by the caller so the id is known before the entry is durable (request ids). */
  id: string;
  endpointId: string;
  modelVersion: number;
  modelRef: string;
  route: 'primary' | 'canary';
  inputs: FeatureRecord[];
  outputs: Prediction[];
  latencyMs: number;
  /** Records with at least one out-of-profile flag (0 when the model has no training profile). */
  flaggedRecords?: number;
}

/** A delayed label for one record of a logged request. */
export interface NewFeedback {
  requestId: string;
  /** The record's position in the request. */
  index: number;
  /** A class (classification, stored as text) or a finite number (regression). */
  label: string | number;
}

export interface FeedbackLabel extends NewFeedback {
  receivedAt: string;
  receivedBy: string;
}

/** Enough of a logged request to check labels against it: its record count and its first answer. */
export interface LoggedRequestShape {
  records: number;
  first: Prediction | null;
}

/** A labelled record with the inputs it was answered for. */
export interface LabelledRecordWithInputs extends LabelledRecord {
  inputs: FeatureRecord;
}

/** A labelled record with what the endpoint answered for it (the primary or canary route, never the shadow). */
export interface LabelledRecord extends FeedbackLabel {
  output: Prediction;
  route: 'primary' | 'canary';
  modelRef: string | null;
  modelVersion: number;
  /** When the request was answered (its inference log entry). */
  predictedAt: string;
}

export interface NewAuditEvent {
  actor: string;
  action: string;
  objectType: string;
  objectId: string;
  projectId: string | null;
  details?: Record<string, unknown>;
}

/**
 * Writes that change state take the audit event to append in the same transaction, so an object never exists
 * without the record of who made it.
 */
/** Every room's methods; the MLflow registry's details come from RegistryStore (below). */
export interface MetadataStore
  extends RegistryStore, GateStore, DriftStore, BatchStore, ProbeStore, AlertStore, RetrainingStore {
  readonly dialect: 'sqlite' | 'postgres';
  migrate(): Promise<void>;
  close(): Promise<void>;
  ping(): Promise<void>;

  createUser(user: { name: string; isAdmin: boolean }, audit: AuditBy): Promise<UserRecord>;
  getUser(id: string): Promise<UserRecord | undefined>;
  getUserByName(name: string): Promise<UserRecord | undefined>;
  listUsers(page: PageRequest): Promise<Paged<UserRecord>>;
  countUsers(): Promise<number>;
  createToken(token: { userId: string; name: string; tokenHash: string }, audit: AuditBy): Promise<TokenRecord>;
  /** Deletes a token (a command job's, when it ends); false when there was none. */
  deleteToken(id: string, audit: AuditBy): Promise<boolean>;
  /** The user a token hash belongs to; also stamps the token's last use. */
  findUserByTokenHash(tokenHash: string): Promise<UserRecord | undefined>;

  createProject(project: { name: string; description: string; owner: string }, audit: AuditBy): Promise<ProjectRecord>;
  getProject(id: string): Promise<ProjectRecord | undefined>;
  getProjectByName(name: string): Promise<ProjectRecord | undefined>;
  /** Projects the user is a member of (all projects when `userId` is null), by name. */
  listProjects(userId: string | null, page: PageRequest): Promise<Paged<ProjectRecord>>;
  getRole(projectId: string, userId: string): Promise<Role | undefined>;
  rolesOf(userId: string): Promise<{ projectName: string; role: Role }[]>;
  listMembers(projectId: string): Promise<MemberRecord[]>;
  setMember(projectId: string, userId: string, role: Role, audit: AuditBy): Promise<void>;
  removeMember(projectId: string, userId: string, audit: AuditBy): Promise<boolean>;

  createDataset(
    d: { projectId: string; name: string; description: string; createdBy: string },
    audit: AuditBy,
  ): Promise<DatasetRecord>;
  getDataset(id: string): Promise<DatasetRecord | undefined>;
  getDatasetByName(projectId: string, name: string): Promise<DatasetRecord | undefined>;
  listDatasets(projectId: string, page: PageRequest): Promise<Paged<DatasetRecord>>;
  addDatasetVersion(
    v: Omit<DatasetVersionRecord, 'seq' | 'createdAt' | 'pinned' | 'tags'>,
    audit: AuditBy,
  ): Promise<DatasetVersionRecord>;
  getDatasetVersion(datasetId: string, version: string): Promise<DatasetVersionRecord | undefined>;
  /** Versions whose hash starts with `prefix`. */
  findDatasetVersions(datasetId: string, prefix: string): Promise<DatasetVersionRecord[]>;
  latestDatasetVersion(datasetId: string): Promise<DatasetVersionRecord | undefined>;
  /** Every dataset of the project that has a version, with its latest version's snapshot, by name. */
  latestSnapshots(
    projectId: string,
  ): Promise<{ datasetId: string; name: string; version: string; snapshotKey: string }[]>;
  listDatasetVersions(
    datasetId: string,
    page: { limit: number; beforeSeq?: number | undefined },
  ): Promise<DatasetVersionRecord[]>;

  /** `id` is chosen by the caller: the secret is sealed for it before the row exists. */
  createConnection(c: Omit<ConnectionRecord, 'createdAt'>, audit: AuditBy): Promise<ConnectionRecord>;
  getConnection(id: string): Promise<ConnectionRecord | undefined>;
  getConnectionByName(projectId: string, name: string): Promise<ConnectionRecord | undefined>;
  listConnections(projectId: string, page: PageRequest): Promise<Paged<ConnectionRecord>>;
  deleteConnection(id: string, audit: AuditBy): Promise<boolean>;

  /** Records (or replaces) where the dataset's next versions come from. */
  setDatasetSource(datasetId: string, source: DatasetSource): Promise<void>;
  getDatasetSource(datasetId: string): Promise<DatasetSource | undefined>;
  /** Records the versions a derived version was computed from (idempotent). */
  addDatasetVersionParents(child: DatasetVersionRef, parents: DatasetVersionRef[]): Promise<void>;
  listDatasetVersionParents(child: DatasetVersionRef): Promise<DatasetVersionRef[]>;
  listDatasetVersionChildren(parent: DatasetVersionRef): Promise<DatasetVersionRef[]>;

  /** Sets (value) or removes (null) a tag of a dataset, or of one of its versions when `version` is given. */
  setDatasetTag(
    ref: { datasetId: string; version?: string },
    key: string,
    value: string | null,
    audit: AuditBy,
  ): Promise<void>;
  setDatasetVersionPinned(ref: DatasetVersionRef, pinned: boolean, audit: AuditBy): Promise<void>;
  updateDataset(
    datasetId: string,
    change: { description?: string; retention?: RetentionPolicy | null },
    audit: AuditBy,
  ): Promise<void>;
  /** How many runs and derived versions were made from a version (what keeps it from deletion). */
  datasetVersionUsage(ref: DatasetVersionRef): Promise<{ runs: number; derived: number }>;
  /**
   * Deletes a version's row, tags and parent links; a snapshot no other version refers to goes to the trash, to be
   * deleted by {@link MetadataStore.trashedSnapshots}' caller once it has stayed unreferenced for a while.
   */
  deleteDatasetVersion(ref: DatasetVersionRef, audit: AuditBy): Promise<void>;
  /** Trashed snapshot keys orphaned at or before `before` (ISO time), oldest first. */
  trashedSnapshots(before: string, limit: number): Promise<string[]>;
  snapshotReferenced(snapshotKey: string): Promise<boolean>;
  untrashSnapshot(snapshotKey: string): Promise<void>;

  /** A training run (queued) or a tracked/command run (running from `startedAt`, or queued). */
  createRun(run: NewRun, audit: AuditBy): Promise<RunRecord>;
  getRun(id: string): Promise<RunRecord | undefined>;
  listRuns(projectId: string, page: PageRequest): Promise<Paged<RunRecord>>;
  updateRun(id: string, update: RunUpdate): Promise<void>;
  /** Runs in one of these states, oldest first (for re-queueing after a restart). */
  runsWithStatus(statuses: RunStatus[]): Promise<RunRecord[]>;
  /** Runs trained on one dataset version, in any project, oldest first (lineage). */
  listRunsOfDatasetVersion(datasetId: string, version: string, limit?: number): Promise<RunRecord[]>;

  createExperiment(
    e: { projectId: string; name: string; description: string; tags?: Record<string, string>; createdBy: string },
    audit: AuditBy,
  ): Promise<ExperimentRecord>;
  getExperiment(id: string): Promise<ExperimentRecord | undefined>;
  getExperimentByName(projectId: string, name: string): Promise<ExperimentRecord | undefined>;
  /** Experiments of the given projects, by name; `nameLike` is a SQL LIKE pattern (case-insensitive). */
  listExperiments(
    projectIds: string[],
    q: { stage: LifecycleStage | 'all'; nameLike?: string; limit: number; offset: number },
  ): Promise<ExperimentRecord[]>;
  updateExperiment(
    id: string,
    change: { name?: string; description?: string; lifecycleStage?: LifecycleStage },
    audit: AuditBy,
  ): Promise<void>;
  setExperimentTag(id: string, key: string, value: string | null, audit: AuditBy): Promise<void>;
  /** The project's "Default" experiment, created on first use. */
  defaultExperiment(projectId: string, createdBy: string): Promise<ExperimentRecord>;

  /** Logs params, metrics and tags in one transaction; throws ParamConflictError for a changed param. */
  logRunData(runId: string, data: RunData): Promise<void>;
  deleteRunTag(runId: string, key: string): Promise<boolean>;
  /** Records dataset versions a run read (idempotent; the context of a repeated input is replaced). */
  addRunInputs(runId: string, inputs: RunInputRecord[]): Promise<void>;
  listRunInputs(runId: string): Promise<RunInputRecord[]>;
  /** A metric's points in logging order, from after the point with id `afterId`. */
  metricHistory(
    runId: string,
    key: string,
    page: { limit: number; afterId?: number },
  ): Promise<{ points: StoredMetricPoint[]; lastId: number | null }>;
  /** The same points as columns, for streaming long histories without an object per point. */
  metricHistoryColumns(runId: string, key: string, page: { limit: number; afterId?: number }): Promise<MetricColumns>;
  createStudy(s: NewStudy, audit: AuditBy): Promise<StudyRecord>;
  getStudy(id: string): Promise<StudyRecord | undefined>;
  /** The study whose parent run this is. */
  getStudyOfRun(runId: string): Promise<StudyRecord | undefined>;
  listStudies(projectId: string, page: PageRequest): Promise<Paged<StudyRecord>>;
  studiesWithStatus(status: StudyStatus): Promise<StudyRecord[]>;
  updateStudy(
    id: string,
    change: { status?: StudyStatus; bestRunId?: string | null; finishedAt?: string },
  ): Promise<void>;
  /** Claims trial `number` for `runId`; false when the number was claimed already. */
  claimTrial(studyId: string, number: number, runId: string): Promise<boolean>;
  /** The study's trial numbers and their run ids, by number. */
  listTrials(studyId: string): Promise<{ number: number; runId: string }[]>;
  createAutomlJob(j: NewAutomlJob, audit: AuditBy): Promise<AutomlJob>;
  getAutomlJob(id: string): Promise<AutomlJob | undefined>;
  getAutomlJobOfRun(runId: string): Promise<AutomlJob | undefined>;
  getAutomlJobOfStudy(studyId: string): Promise<AutomlJob | undefined>;
  listAutomlJobs(projectId: string, page: PageRequest): Promise<Paged<AutomlJob>>;
  runningAutomlJobs(): Promise<AutomlJob[]>;
  updateAutomlJob(id: string, change: AutomlUpdate): Promise<void>;
  /** Ids of a run's children, oldest first. */
  childRuns(parentRunId: string): Promise<string[]>;
  /** Runs of the experiments matching the filter, ordered, one page (offset-based, as MLflow's page tokens). */
  findRuns(q: RunSearch): Promise<{ runs: RunRecord[]; more: boolean }>;

  createModel(
    m: { projectId: string; name: string; description: string; createdBy: string },
    audit: AuditBy,
  ): Promise<ModelRecord>;
  getModel(id: string): Promise<ModelRecord | undefined>;
  getModelByName(projectId: string, name: string): Promise<ModelRecord | undefined>;
  listModels(projectId: string, page: PageRequest): Promise<Paged<ModelRecord>>;
  /** Appends version max+1 atomically. */
  addModelVersion(modelId: string, runId: string, createdBy: string, audit: AuditBy): Promise<ModelVersionRecord>;
  getModelVersion(modelId: string, version: number): Promise<ModelVersionRecord | undefined>;
  listModelVersions(
    modelId: string,
    page: { limit: number; below?: number | undefined },
  ): Promise<ModelVersionRecord[]>;
  /** Versions registered from one run, in every model, by model then version (lineage). */
  listModelVersionsOfRun(runId: string): Promise<ModelVersionRecord[]>;
  setAlias(modelId: string, alias: string, version: number, audit: AuditBy): Promise<void>;
  deleteAlias(modelId: string, alias: string, audit: AuditBy): Promise<boolean>;

  createEndpoint(
    e: { projectId: string; name: string; modelRef: string; createdBy: string; maxConcurrency: number },
    audit: AuditBy,
  ): Promise<EndpointRecord>;
  getEndpoint(id: string): Promise<EndpointRecord | undefined>;
  getEndpointByName(projectId: string, name: string): Promise<EndpointRecord | undefined>;
  listEndpoints(projectId: string, page: PageRequest): Promise<Paged<EndpointRecord>>;
  /**
   * The project's endpoints whose reference names this model (`name@…`), by id, whatever alias or version follows;
   * the caller resolves each reference to know which version it serves now (lineage).
   */
  listEndpointsOfModel(projectId: string, modelName: string): Promise<EndpointRecord[]>;
  updateEndpoint(id: string, changes: EndpointChanges, by: AuditBy): Promise<EndpointRecord>;
  /** Appends a batch of inference entries in one transaction (the serving log's group commit). */
  logInferences(entries: NewInference[]): Promise<void>;
  logShadows(entries: ShadowEntry[]): Promise<void>;
  /** The newest shadow answers with the matching primary entries, newest first. */
  recentShadowPairs(
    endpointId: string,
    limit: number,
  ): Promise<{ shadow: ShadowEntry & { createdAt: string }; primary: InferenceRecord | undefined }[]>;
  listInferences(endpointId: string, page: PageRequest): Promise<Paged<InferenceRecord>>;
  /** The endpoint's logged requests among `requestIds` (absent ids are not in its log). */
  loggedRequestShapes(endpointId: string, requestIds: string[]): Promise<Map<string, LoggedRequestShape>>;
  /** Stores labels, replacing an earlier label of the same record; of duplicates in `labels` the last one wins. */
  upsertFeedback(endpointId: string, labels: NewFeedback[], receivedBy: string): Promise<void>;
  /** The labels of these requests' records. */
  feedbackFor(endpointId: string, requestIds: string[]): Promise<FeedbackLabel[]>;
  /**
   * Labelled records of requests answered in [from, to) (ISO timestamps), joined with the logged answers, oldest
   * first, at most `limit`.
   */
  labelledRecords(endpointId: string, window: { from: string; to: string; limit: number }): Promise<LabelledRecord[]>;
  /** As labelledRecords, each with the record's logged inputs (fairness slices read a feature from them). */
  labelledRecordsWithInputs(
    endpointId: string,
    window: { from: string; to: string; limit: number },
  ): Promise<LabelledRecordWithInputs[]>;

  appendAudit(event: NewAuditEvent): Promise<void>;
  /** Newest first. */
  listAudit(
    filter: { projectId?: string | undefined },
    page: { limit: number; beforeId?: number | undefined },
  ): Promise<AuditEvent[]>;

  // Search (catalog/search.ts): plain-substring matches in the given projects only, best first (exact name, name
  // prefix, name contains, description contains), at most `limit`. Tags would get their own query here.
  searchDatasets(projectIds: string[], text: string, limit: number): Promise<SearchRow[]>;
  /** Datasets whose latest version's profile mentions `text`, with that version's column names. */
  searchDatasetColumns(projectIds: string[], text: string, limit: number): Promise<DatasetColumnsRow[]>;
  /** Datasets with a tag whose key or value contains `text`, one row per dataset (its first such tag by key). */
  searchDatasetTags(projectIds: string[], text: string, limit: number): Promise<TagSearchRow[]>;
  searchRuns(projectIds: string[], text: string, limit: number): Promise<SearchRow[]>;
  searchModels(projectIds: string[], text: string, limit: number): Promise<SearchRow[]>;
  searchEndpoints(projectIds: string[], text: string, limit: number): Promise<SearchRow[]>;
}

export interface TagSearchRow {
  id: string;
  projectId: string;
  name: string;
  key: string;
  value: string;
}

/** One search candidate; `description` is '' for kinds without one. */
export interface SearchRow {
  id: string;
  projectId: string;
  name: string;
  description: string;
  /** How it matched, as the database decided: 0 exact name, 1 name prefix, 2 name contains, 3 description. */
  rank: 0 | 1 | 2 | 3;
}

export interface DatasetColumnsRow {
  id: string;
  projectId: string;
  name: string;
  columns: string[];
}

/** Who is writing and what to record; the store fills in the object id it creates. */
export interface AuditBy {
  actor: string;
  action: string;
  projectId?: string | null;
  details?: Record<string, unknown>;
}

// The MLflow registry's details on our models and versions (registry-store.ts, migration 0008).

/** A model with its MLflow tags and last change. */
export interface RegisteredModelRecord extends ModelRecord {
  updatedAt: string;
  tags: Record<string, string>;
}

/** A model version with what MLflow keeps beside it; `source` is null for versions made through our own API. */
export interface RegistryVersionRecord extends ModelVersionRecord {
  source: string | null;
  description: string;
  updatedAt: string;
  tags: Record<string, string>;
}

export interface NewRegistryVersion {
  modelId: string;
  runId: string;
  source: string;
  description: string;
  tags: Record<string, string>;
  createdBy: string;
}

/** One text condition of a registry search: `=`, `!=`, `LIKE`, `ILIKE` or `IN` (a list). */
export interface RegistryTextCondition {
  comparator: '=' | '!=' | 'LIKE' | 'ILIKE' | 'IN';
  value: string | string[];
}

export interface RegistryModelQuery {
  projectId: string;
  name: RegistryTextCondition[];
  tags: (RegistryTextCondition & { key: string })[];
  orderBy: { key: 'name' | 'last_updated_timestamp'; ascending: boolean }[];
  limit: number;
  offset: number;
}

export interface RegistryVersionQuery {
  projectId: string;
  /** Only versions of these models, when given. */
  modelIds?: string[];
  name: RegistryTextCondition[];
  runId: RegistryTextCondition[];
  tags: (RegistryTextCondition & { key: string })[];
  limit: number;
  offset: number;
}

/** A metric's latest point with its step and timestamp (MLflow shows them with the run). */
export interface LatestMetricPoint extends StoredMetricPoint {
  runId: string;
}

export interface RegistryStore {
  createRegisteredModel(
    m: { projectId: string; name: string; description: string; tags: Record<string, string>; createdBy: string },
    audit: AuditBy,
  ): Promise<RegisteredModelRecord>;
  getRegisteredModel(projectId: string, name: string): Promise<RegisteredModelRecord | undefined>;
  /** One page of the project's models matching every condition, ordered (then by name). */
  findRegisteredModels(q: RegistryModelQuery): Promise<RegisteredModelRecord[]>;
  updateRegisteredModel(
    modelId: string,
    change: { name?: string; description?: string },
    audit: AuditBy,
  ): Promise<void>;
  deleteRegisteredModel(modelId: string, audit: AuditBy): Promise<void>;
  /** Sets (value) or removes (null) a tag; false when removing a tag that is not there. */
  setRegisteredModelTag(modelId: string, key: string, value: string | null, audit: AuditBy): Promise<boolean>;
  createRegistryVersion(v: NewRegistryVersion, audit: AuditBy): Promise<RegistryVersionRecord>;
  getRegistryVersion(modelId: string, version: number): Promise<RegistryVersionRecord | undefined>;
  /** One page of the project's versions matching every condition, by model name then newest version first. */
  findRegistryVersions(q: RegistryVersionQuery): Promise<RegistryVersionRecord[]>;
  updateRegistryVersion(
    modelId: string,
    version: number,
    change: { description: string },
    audit: AuditBy,
  ): Promise<void>;
  deleteRegistryVersion(modelId: string, version: number, audit: AuditBy): Promise<void>;
  setRegistryVersionTag(
    modelId: string,
    version: number,
    key: string,
    value: string | null,
    audit: AuditBy,
  ): Promise<boolean>;
  /** Each metric's latest point (with step and timestamp) of the given runs. */
  latestMetricPoints(runIds: string[]): Promise<LatestMetricPoint[]>;
}
