// The wire types of the Modelyard REST API (/api/v1): the contract the server, SDK, CLI and web share.

export type Role = 'viewer' | 'editor' | 'admin';
export type Task = 'classification' | 'regression';
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'killed';
/** `training`: trained by Modelyard from a dataset version; `tracked`: logged from outside (SDK, MLflow client); `command`: a job running a command. */
export type RunKind = 'training' | 'tracked' | 'command';
/** Deleted experiments and runs stay restorable until purged. */
export type LifecycleStage = 'active' | 'deleted';
/** A metric value; non-finite values travel as MLflow writes them. */
export type MetricValue = number | 'NaN' | 'Infinity' | '-Infinity';
/** `glm`: elastic-net linear/logistic (binomial or multinomial) regression; `gbdt`: histogram gradient-boosted trees; `forest`: random forest or extremely randomized trees. */
export type Algorithm = 'glm' | 'gbdt' | 'forest';

/** Every error response body: `{"error": {...}}` with a stable machine-readable code. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** Cursor pagination: pass `nextCursor` back as `?cursor=` until it is null. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageQuery {
  limit?: number;
  cursor?: string;
}

export interface User {
  id: string;
  name: string;
  isAdmin: boolean;
  createdAt: string;
}

export interface Me {
  user: User;
  /** Project name → the caller's role there. */
  roles: Record<string, Role>;
}

export interface CreatedToken {
  id: string;
  name: string;
  /** The secret, shown only in this response; the server keeps a hash. */
  token: string;
  createdAt: string;
}

export interface Project {
  id: string;
  name: string;
  description: string;
  createdAt: string;
  /** The caller's role on this project (admins of the platform see `admin`). */
  role: Role;
}

export interface Member {
  userId: string;
  userName: string;
  role: Role;
}

export type ColumnType = 'integer' | 'float' | 'string' | 'boolean' | 'date' | 'timestamp' | 'other';

/** What a column holds, read from its type and values (see docs/architecture.md for the rules). */
export type SemanticType = 'id' | 'categorical' | 'numeric' | 'datetime' | 'text' | 'boolean';

export interface ColumnProfile {
  name: string;
  /** DuckDB's type name, e.g. BIGINT, DOUBLE, VARCHAR. */
  dbType: string;
  type: ColumnType;
  /** Absent in profiles made before semantic types existed. */
  semanticType?: SemanticType;
  nulls: number;
  distinct: number;
  min?: number | string | null;
  max?: number | string | null;
  mean?: number | null;
  /** Population standard deviation (numbers). */
  std?: number | null;
  /** Quantiles of numeric columns: exact (linear interpolation) up to 1M rows, approximate (t-digest) above. */
  quantiles?: { p: number; value: number | null }[];
  /** Numeric columns: equal-width bins between min and max; `edges` has one more entry than `counts`. */
  histogram?: { edges: number[]; counts: number[] };
  /** Most frequent values of string/boolean columns, most frequent first. */
  topValues?: { value: string; count: number }[];
}

export interface DatasetProfile {
  rows: number;
  columns: ColumnProfile[];
  /** Dataset-level figures (absent in profiles made before they existed). */
  summary?: {
    columns: number;
    missingCells: number;
    semanticTypes: Partial<Record<SemanticType, number>>;
    /** With skipBadRows: how many CSV rows were left out, and the first of their line numbers. */
    skippedRows?: number;
    skippedLines?: number[];
  };
}

export interface DatasetVersion {
  /** Content hash (sha256 hex) of the snapshot; the version's identity. */
  version: string;
  datasetId: string;
  rows: number;
  bytes: number;
  source: string;
  createdAt: string;
  createdBy: string;
  profile: DatasetProfile;
  /** Kept by garbage collection whatever the retention policy says. */
  pinned: boolean;
  tags: Record<string, string>;
}

export interface Dataset {
  id: string;
  projectId: string;
  name: string;
  description: string;
  createdAt: string;
  latestVersion: DatasetVersion | null;
  tags: Record<string, string>;
  /** Which versions garbage collection keeps; null keeps every version. */
  retention: RetentionPolicy | null;
}

/**
 * Garbage collection deletes a version outside both limits (a limit left null keeps nothing by itself). The latest
 * version, pinned versions, and versions a run or a derived dataset was made from are always kept.
 */
export interface RetentionPolicy {
  /** Keep the newest N versions. */
  keepLast: number | null;
  /** Keep versions created in the last N days. */
  maxAgeDays: number | null;
}

export interface UpdateDataset {
  description?: string;
  /** Admins only; null removes the policy. */
  retention?: RetentionPolicy | null;
}

/** Why garbage collection keeps a version. */
export type KeepReason = 'latest' | 'pinned' | 'keep_last' | 'max_age' | 'used_by_run' | 'parent_of_derived';

export interface GcVersion {
  version: string;
  seq: number;
  bytes: number;
  createdAt: string;
  /** Empty for a deleted version. */
  reasons: KeepReason[];
}

export interface GcReport {
  dryRun: boolean;
  policy: RetentionPolicy;
  deleted: GcVersion[];
  kept: GcVersion[];
  deletedBytes: number;
}

export interface GcRequest {
  /** Report what would be deleted without deleting it. */
  dryRun?: boolean;
  /** A policy for this collection only; the dataset's own policy when left out. */
  policy?: RetentionPolicy;
}

/** A SQL workbench query: one SELECT over the project's datasets, each a view named after its dataset. */
export interface SqlQuery {
  sql: string;
  /** Rows per page (1..1000, default 100). */
  limit?: number;
  cursor?: string;
  /** The query is stopped after this long (100..60000 ms, default 30000). */
  timeoutMs?: number;
}

export interface SqlResult {
  columns: { name: string; type: string }[];
  /** JSON values; big integers, decimals, dates and times come as strings. */
  rows: unknown[][];
  nextCursor: string | null;
  elapsedMs: number;
}

/** JSON body to save the whole result of a workbench query (over the project's datasets) as a derived dataset. */
export interface CreateDatasetFromQuery {
  name: string;
  sql: string;
  description?: string;
}

/** JSON body to register the result of a SELECT on one of the project's connections (by name). */
export interface CreateDatasetFromSql {
  name: string;
  connection: string;
  sql: string;
  description?: string;
}

/** JSON body to register a server-side file (under an allowed root). Uploads use multipart with `file`+`name`. */
export interface CreateDatasetFromPath {
  name: string;
  path: string;
  description?: string;
  /** CSV: leave out unreadable rows instead of refusing the file (see DatasetProfile.summary.skippedRows). */
  skipBadRows?: boolean;
}

export interface CreateRun {
  /** Dataset name or id within the project. */
  dataset: string;
  /** Dataset version hash (a unique prefix is accepted); latest when omitted. */
  version?: string;
  target: string;
  task: Task;
  algorithm: Algorithm;
  /** Algorithm parameters, e.g. GLM { lambda: 0.001, alpha: 0 } or GBDT { nTrees: 200, maxDepth: 6 }; all take testFraction and seed. */
  params?: Record<string, number | string | boolean>;
  name?: string;
  /** Experiment name in the project; its Default experiment when omitted. */
  experiment?: string;
  tags?: Record<string, string>;
}

export interface RunEnvironment {
  node: string;
  os: string;
  arch: string;
  cpu: string;
  cpus: number;
  memoryBytes: number;
  lockfileHash: string | null;
  gitCommit: string | null;
  modelyardVersion: string;
}

export interface Run {
  id: string;
  projectId: string;
  experimentId: string;
  /** The run this one is a child of (an HPO trial's study run, a nested MLflow run), or null. */
  parentRunId: string | null;
  name: string;
  kind: RunKind;
  status: RunStatus;
  lifecycleStage: LifecycleStage;
  /** Training runs only (null for tracked and command runs): what was trained on what. */
  task: Task | null;
  algorithm: string | null;
  target: string | null;
  datasetId: string | null;
  datasetVersion: string | null;
  /** Every logged param; a training run's own params keep their types. */
  params: Record<string, number | string | boolean>;
  /** The latest value of each metric (greatest step, then timestamp). */
  metrics: Record<string, MetricValue>;
  tags: Record<string, string>;
  /** 0..1 while training; 1 when done. */
  progress: number;
  error: { code: string; message: string } | null;
  environment: RunEnvironment | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  createdBy: string;
}

export interface Experiment {
  id: string;
  projectId: string;
  name: string;
  description: string;
  lifecycleStage: LifecycleStage;
  tags: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
}

export interface CreateExperiment {
  name: string;
  description?: string;
  tags?: Record<string, string>;
}

export interface UpdateExperiment {
  name?: string;
  description?: string;
  /** `deleted` deletes (restorable), `active` restores. */
  lifecycleStage?: LifecycleStage;
}

/** A tracked run: logged from outside rather than trained by Modelyard. */
export interface StartRun {
  name?: string;
  parentRunId?: string;
  tags?: Record<string, string>;
  /** Milliseconds since the epoch; now when left out. */
  startTime?: number;
}

/** One call's worth of logging (all or nothing): at most 1000 metrics, 100 params, 100 tags. */
export interface LogBatch {
  params?: Record<string, string>;
  metrics?: { key: string; value: MetricValue; step?: number; timestamp?: number }[];
  tags?: Record<string, string>;
}

export interface UpdateRun {
  name?: string;
  /** Ending statuses set the end time (`endTime`, or now). */
  status?: 'running' | 'succeeded' | 'failed' | 'killed';
  endTime?: number;
  lifecycleStage?: LifecycleStage;
}

export interface RunSearchQuery {
  /** Experiment ids or names; every experiment of the project when left out. */
  experiments?: string[];
  /** MLflow's filter language, e.g. `metrics.auc > 0.8 and params.depth = '6'`. */
  filter?: string;
  /** e.g. `['metrics.auc DESC', 'attributes.start_time']`. */
  orderBy?: string[];
  stage?: LifecycleStage | 'all';
  /** 1..1000, 100 by default. */
  limit?: number;
  cursor?: string;
}

export interface MetricHistoryQuery {
  /** 1..25000, 10000 by default. */
  limit?: number;
  cursor?: string;
}

export type StudyStatus = 'running' | 'finished' | 'stopped';
export type SamplerKind = 'grid' | 'random' | 'tpe';

/**
 * A search-space dimension: `uniform` / `loguniform` floats, `int` (optionally `log`, `step`), `categorical`; any may
 * be conditional with `when: { param, in }` (active only when that parameter takes one of those values).
 */
export type SpaceDimension =
  | { kind: 'uniform' | 'loguniform'; low: number; high: number; when?: SpaceCondition; gridPoints?: number | number[] }
  | {
      kind: 'int';
      low: number;
      high: number;
      log?: boolean;
      step?: number;
      when?: SpaceCondition;
      gridPoints?: number | number[];
    }
  | { kind: 'categorical'; choices: (string | number | boolean)[]; when?: SpaceCondition };

/**
 * Early stopping of trials on intermediate values (the holdout loss after each boosting round): `median` stops a
 * trial whose best loss so far is worse than the median of finished trials at the same round (after `nStartupTrials`
 * finished and `nWarmupSteps` rounds); `successiveHalving` (ASHA) keeps the top 1/`reductionFactor` of the trials at
 * each rung (`minResource` · η^k rounds).
 */
export type StudyPruner =
  | { kind: 'none' }
  | { kind: 'median'; nStartupTrials?: number; nWarmupSteps?: number; intervalSteps?: number }
  | { kind: 'successiveHalving'; minResource?: number; reductionFactor?: number; minEarlyStoppingRate?: number };

export interface SpaceCondition {
  param: string;
  in: (string | number | boolean)[];
}

/** A hyperparameter search: every trial is a child training run of the study's own run. */
export interface Study {
  id: string;
  projectId: string;
  experimentId: string;
  /** The study's parent run; trials are its children. */
  runId: string;
  name: string;
  datasetId: string;
  datasetVersion: string;
  target: string;
  task: Task;
  algorithm: Algorithm;
  space: Record<string, SpaceDimension>;
  /** Fixed params every trial gets. */
  params: Record<string, number | string | boolean>;
  sampler: { kind: SamplerKind; seed: number };
  pruner: StudyPruner;
  /** The run metric optimised (holdout), and which way. */
  metric: string;
  direction: 'minimize' | 'maximize';
  parallelism: number;
  maxTrials: number;
  timeBudgetSeconds: number | null;
  status: StudyStatus;
  trials: { total: number; complete: number; running: number; failed: number; pruned: number };
  bestRunId: string | null;
  bestValue: number | null;
  createdAt: string;
  finishedAt: string | null;
  createdBy: string;
}

export interface CreateStudy {
  name?: string;
  /** Dataset name or id in the project, and version (latest when omitted). */
  dataset: string;
  version?: string;
  target: string;
  task: Task;
  algorithm: Algorithm;
  space: Record<string, SpaceDimension>;
  params?: Record<string, number | string | boolean>;
  sampler?: { kind: SamplerKind; seed?: number };
  /** Stops unpromising trials early on their holdout loss after each boosting round (GBDT); none by default. */
  pruner?: StudyPruner;
  /** `auc` (classification) or `rmse` (regression) by default. */
  metric?: string;
  direction?: 'minimize' | 'maximize';
  /** Trials training at once, 1..8. */
  parallelism?: number;
  maxTrials: number;
  timeBudgetSeconds?: number;
  experiment?: string;
}

export interface StudyTrial {
  number: number;
  runId: string;
  status: RunStatus;
  params: Record<string, number | string | boolean>;
  /** The study metric of a finished trial. */
  value: number | null;
}

export type AutomlStage = 'baselines' | 'search' | 'refit' | 'forests' | 'ensemble' | 'done';

/**
 * An AutoML job: cross-validated candidates (GLM on an elastic-net path, random forest, extremely randomized trees,
 * GBDT), a GBDT tuned by a TPE study in the time left, and a stacked ensemble of the best, all child runs of the job's
 * run, ranked on a leaderboard by their cross-validated metric.
 */
export interface AutomlJob {
  id: string;
  projectId: string;
  experimentId: string;
  runId: string;
  name: string;
  datasetId: string;
  datasetVersion: string;
  target: string;
  task: Task;
  metric: string;
  direction: 'minimize' | 'maximize';
  timeBudgetSeconds: number;
  folds: number;
  seed: number;
  register: { model: string; alias: string | null } | null;
  status: 'running' | 'finished' | 'failed';
  stage: AutomlStage;
  studyId: string | null;
  leaderRunId: string | null;
  /** The registered version of the leader, when `register` was asked for. */
  modelVersion: number | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  createdBy: string;
}

export interface AutomlLeaderboardRow {
  rank: number;
  runId: string;
  name: string;
  /** `glm`, `gbdt`, `forest`, `extra_trees`, `stacked`. */
  model: string;
  status: RunStatus;
  /** The job's metric, mean over the folds, and its standard deviation. */
  metric: number | null;
  std: number | null;
  trainingMs: number | null;
  /** Milliseconds to score 1,000 rows in one batch. */
  scoringMsPer1k: number | null;
}

export interface CreateAutoml {
  name?: string;
  dataset: string;
  version?: string;
  target: string;
  task: Task;
  /** Wall-clock budget for the whole job, 10 s to 7 days. */
  timeBudgetSeconds: number;
  /** `auc` (classification) or `rmse` (regression) by default. */
  metric?: string;
  /** Cross-validation folds for every candidate, 2..10 (5 by default). */
  folds?: number;
  seed?: number;
  /** Register the leader as a new version of this model (created if missing), optionally moving an alias to it. */
  register?: { model: string; alias?: string };
  experiment?: string;
}

/** A dataset version a run read; lineage links it to the run. */
export interface RunInput {
  datasetId: string;
  datasetName: string;
  version: string;
  /** What it was read for (`training`, `evaluation`, …), free text as MLflow's context; '' when not given. */
  context: string;
}

/** Runs side by side; `values` maps run id → value (null where the run has none). */
export interface RunComparison {
  runs: { id: string; name: string; status: RunStatus; experimentId: string }[];
  params: { key: string; values: Record<string, number | string | boolean | null>; differs: boolean }[];
  metrics: { key: string; values: Record<string, MetricValue | null>; differs: boolean }[];
  /** Per requested metric, each run's curve (downsampled; `total` points were logged). */
  curves: { key: string; runs: { runId: string; total: number; points: { step: number; value: MetricValue }[] }[] }[];
}

/** One logged metric point; `timestamp` in milliseconds since the epoch. */
export interface MetricPoint {
  key: string;
  value: MetricValue;
  timestamp: number;
  step: number;
}

export interface Model {
  id: string;
  projectId: string;
  name: string;
  description: string;
  createdAt: string;
  /** Alias name → version number. */
  aliases: Record<string, number>;
  latestVersion: number | null;
}

export interface ModelVersion {
  modelId: string;
  version: number;
  runId: string;
  /** `run`: a model trained or logged here; `onnx`: an imported ONNX file. */
  source: 'run' | 'onnx';
  description: string;
  tags: Record<string, string>;
  /** The training run's task; null for a version of a tracked run. */
  task: Task | null;
  metrics: Record<string, MetricValue>;
  createdAt: string;
  createdBy: string;
}

export interface Endpoint {
  id: string;
  projectId: string;
  name: string;
  /** What it serves, as written: `model@alias` or `model@version`. */
  model: string;
  /** The model version the reference resolves to now. */
  modelVersion: number;
  /** A second model answering a share of the traffic, or null. */
  canary: EndpointRoute | null;
  /** A model receiving a mirrored share of the traffic; its answers are logged, never returned. Or null. */
  shadow: EndpointRoute | null;
  /** Requests scored at once; more wait briefly, and past twice this many the endpoint answers 429. */
  maxConcurrency: number;
  /** Why the endpoint still serves an older version (the newer one failed to load), or null. */
  loadError: string | null;
  createdAt: string;
  updatedAt: string | null;
}

export interface EndpointRoute {
  /** `model@alias` or `model@version`. */
  model: string;
  /** Canary: the share of requests it answers; shadow: the share of requests mirrored to it (0–1). */
  share: number;
  /** The version the reference resolves to now, or null when it does not resolve. */
  modelVersion: number | null;
}

/** PATCH /endpoints/{id}: what to change; null removes a canary or a shadow. */
export interface EndpointUpdate {
  model?: string;
  canary?: { model: string; share: number } | null;
  shadow?: { model: string; share: number } | null;
  maxConcurrency?: number;
}

/** A record the model scored although something in it was never seen in training. */
/**
 * A record outside what the model saw in training (it is still scored): a number outside the training range, a
 * category never seen, a missing value where training had none. Without a training profile (imported ONNX models,
 * or a run whose data is gone) only categories the model does not know are flagged.
 */
export interface PredictWarning {
  row: number;
  field: string;
  problem: 'unseen_category' | 'out_of_range' | 'unexpected_missing';
  value: string | number | null;
}

/** How a shadow version compares with what the endpoint returned, over the newest mirrored requests. */
export interface ShadowReport {
  endpointId: string;
  shadow: string | null;
  /** Mirrored requests in the report (the newest, at most `limit`). */
  mirrored: number;
  /** Records compared (mirrored requests can hold several). */
  records: number;
  /** Mirrored requests the shadow failed on. */
  errors: number;
  /** Share of compared records with the same label (classification), or null. */
  labelAgreement: number | null;
  /** Mean and largest absolute difference of the value (regression) or of the probability of each class. */
  meanAbsDiff: number | null;
  maxAbsDiff: number | null;
  latencyMs: { primary: LatencySummary; shadow: LatencySummary };
  from: string | null;
  to: string | null;
  /** Both versions scored against feedback labels, or null when no compared record has a label. */
  metrics: ShadowMetrics | null;
}

/**
 * Metrics of the primary and the shadow on the labelled records both answered: `accuracy`, `log_loss` and (two
 * classes) `auc` for classification; `rmse`, `mae` and `r2` for regression. A metric undefined on these records (AUC
 * with one class present, R² of one record) is left out.
 */
export interface ShadowMetrics {
  /** Records with a label and a successful answer from both sides. */
  labelled: number;
  primary: Record<string, number>;
  shadow: Record<string, number>;
  /** shadow − primary, for each metric both have. */
  delta: Record<string, number>;
}

/** A delayed label for one record an endpoint answered. */
export interface Feedback {
  /** The request id the predict call answered with. */
  requestId: string;
  /** The record's position in that request; 0 when left out. */
  index?: number;
  /** One of the model's classes (classification) or a finite number (regression). */
  label: string | number;
}

export type FeedbackIssueCode = 'label_not_a_class' | 'label_not_a_number';

/** What became of a feedback call's labels; unknown and invalid ones are not stored. */
export interface FeedbackReply {
  /** Labels stored (a later label of the same record replaces the earlier one). */
  accepted: number;
  /** Request ids not in the endpoint's log, or an index beyond the request's records. */
  unknown: { requestId: string; index: number }[];
  /** Labels of the wrong type for the model; `position` is the label's place in the call. */
  invalid: { position: number; code: FeedbackIssueCode; message: string }[];
}

export interface LatencySummary {
  p50: number | null;
  p99: number | null;
}

/** A database a project reads datasets from. Its password is stored encrypted and never sent back. */
export interface Connection {
  id: string;
  projectId: string;
  name: string;
  kind: ConnectionKind;
  host: string;
  port: number;
  database: string;
  user: string;
  ssl: boolean;
  createdAt: string;
  createdBy: string;
}

export type ConnectionKind = 'postgres' | 'mysql' | 'trino';

/** A connection test that succeeded (failures are errors: connection_failed, authentication_failed, ...). */
export interface ConnectionCheck {
  ok: true;
  latencyMs: number;
}

export interface CreateConnection {
  name: string;
  kind: ConnectionKind;
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  ssl?: boolean;
}

/** A feature value: numbers for numeric features, strings for categorical ones, null for missing. */
export type FeatureValue = number | string | boolean | null;
export type FeatureRecord = Record<string, FeatureValue>;

export interface ClassPrediction {
  label: string;
  probabilities: Record<string, number>;
}

export interface RegressionPrediction {
  value: number;
}

export type Prediction = ClassPrediction | RegressionPrediction;

/** Exact SHAP values of one answered record (`?explain=true`): baseline + contributions = the model's raw output. */
export interface PredictionExplanation {
  /** 'margin': GBDT raw score or GLM linear predictor (log-odds for two classes); 'mean': a forest's tree average. */
  space: 'margin' | 'mean';
  /** What each value explains: the target, the positive class, or each class. */
  outputs: string[];
  expected: number[];
  /** Per feature, its contribution to each output. */
  contributions: Record<string, number[]>;
}

export interface PredictResponse {
  predictions: Prediction[];
  /** The reference that answered: the endpoint's model, or its canary's. */
  model: string;
  modelVersion: number;
  route: 'primary' | 'canary';
  requestId: string;
  latencyMs: number;
  /** Records scored with something the model never saw in training (left out when there is none). */
  warnings?: PredictWarning[];
  /** With `?explain=true`: one per record, in order. */
  explanations?: PredictionExplanation[];
}

export interface InferenceRecord {
  id: string;
  endpointId: string;
  modelVersion: number;
  route: 'primary' | 'canary';
  /** The reference that answered (null for requests logged before routes existed). */
  model: string | null;
  inputs: FeatureRecord[];
  outputs: Prediction[];
  latencyMs: number;
  createdAt: string;
}

export interface AuditEvent {
  id: number;
  actor: string;
  action: string;
  objectType: string;
  objectId: string;
  projectId: string | null;
  details: Record<string, unknown>;
  at: string;
}

/** What the lineage graph links, from raw data to serving. */
export type LineageKind = 'dataset' | 'dataset_version' | 'run' | 'model_version' | 'endpoint';

/** `up` walks toward the raw data (endpoint → model version → run → dataset version → dataset), `down` away from it. */
export type LineageDirection = 'up' | 'down';

/**
 * One object of the graph. `id` is the object's id; a dataset version's is `<datasetId>@<versionHash>`, a model
 * version's `<modelId>@<version>`.
 */
export interface NodeRef {
  kind: LineageKind;
  id: string;
}

export interface LineageNode extends NodeRef {
  /** For people: `credit@a1b2c3d4e5f6`, the run's name, `credit-glm v3`, the endpoint's name. */
  name: string;
  projectId: string;
}

/** Always points downstream (from data toward endpoints), whichever direction was walked. */
export interface LineageEdge {
  from: NodeRef;
  to: NodeRef;
}

/** The objects around `root` the caller may view, root first, then by distance from it. */
export interface LineageGraph {
  root: NodeRef;
  nodes: LineageNode[];
  edges: LineageEdge[];
  /** More nodes were within reach than `maxNodes`: the graph was cut short (closest nodes first). */
  truncated: boolean;
}

export interface LineageQuery {
  direction: LineageDirection;
  /** Hops from the root, 1..10; 3 by default. */
  depth?: number;
  /** Nodes at most, 1..10000; 1000 by default. */
  maxNodes?: number;
}

/** What `search` looks through; `column` is a column of a dataset's latest version. */
export type SearchKind = 'dataset' | 'column' | 'run' | 'model' | 'endpoint';

/** How a hit matched, best first: exact name, name prefix, name contains, description, column name. */
export type SearchMatch = 'name' | 'prefix' | 'contains' | 'description' | 'column' | 'tag';

/** One search result, in a project the caller may view. A column hit has the dataset's id in `id`. */
export interface SearchHit {
  kind: SearchKind;
  id: string;
  /** The object's name; for a column hit, the column's. */
  name: string;
  projectId: string;
  projectName: string;
  match: SearchMatch;
  /** For a description hit, the text around the match; for a tag hit, `key=value`. */
  snippet?: string;
  /** For a column hit, the dataset's name. */
  datasetName?: string;
}

export interface SearchQuery {
  /** A plain substring (1..200 characters), case-insensitive; `%` and `_` are taken literally. */
  q: string;
  /** All kinds when omitted. */
  kinds?: SearchKind[];
  /** 1..100, 20 by default. */
  limit?: number;
  cursor?: string;
}

// --- run artifacts and command runs ----------------------------------------------------------------------------------

/** One entry of a run's artifact folder; `path` is from the run's artifact root. */
export interface RunArtifact {
  path: string;
  isDir: boolean;
  /** Bytes of a file; null for a folder. */
  bytes: number | null;
}

export interface RunArtifactList {
  items: RunArtifact[];
}

export interface UploadedArtifact {
  path: string;
  bytes: number;
}

/** A program run as a job of a new run (editors): no shell, argv as given. */
export interface StartCommandRun {
  /** The program and its arguments, 1..100 strings; the program is looked up on the server's PATH. */
  command: string[];
  name?: string;
  /** A folder inside the server's data roots; a fresh folder of the run's own when left out. */
  cwd?: string;
  /** Added to the job's environment (the run's own variables win). */
  env?: Record<string, string>;
  /** The job is killed after this long. */
  timeoutSeconds?: number;
  tags?: Record<string, string>;
}

export type LogStream = 'stdout' | 'stderr';

/** Part of a run's log: the text of bytes `offset..nextOffset` (whole characters). */
export interface RunLogs {
  stream: LogStream;
  offset: number;
  /** Where to read on from. */
  nextOffset: number;
  /** Bytes of the log so far. */
  size: number;
  text: string;
  /** The job is still queued or running: more may come. */
  running: boolean;
}

export interface RunLogsQuery {
  stream?: LogStream;
  offset?: number;
  /** Bytes at most, 1..4 MiB; 1 MiB by default. */
  limit?: number;
}

/** Where a model version can be exported to (GET /models/{m}/versions/{v}/export). */
export type ExportFormat = 'js' | 'java' | 'sql' | 'onnx' | 'edge';

/** What a readiness gate requires of a model version before an alias may point at it. */
export type GateRule =
  /** A holdout (or cross-validated) metric of the version's run compared with a threshold. */
  | { kind: 'metric'; metric: string; op: '>=' | '<='; threshold: number }
  /** At least `count` approvals by members with `role` or higher (the version's author does not count). */
  | { kind: 'approvals'; count: number; role: Role }
  /** A global explanation is stored with the version. */
  | { kind: 'explanation' }
  /** A model card with its intended use and limitations written is saved with the version. */
  | { kind: 'model_card' }
  /** The model's ground-truth probes passed on the version. */
  | { kind: 'probes' };

export interface Gate {
  id: string;
  modelId: string;
  rule: GateRule;
  /** The aliases it guards; empty for every alias. */
  aliases: string[];
  createdAt: string;
  createdBy: string;
}

export interface GateResult {
  gate: Gate;
  passed: boolean;
  /** Why it passed or failed, for people. */
  reason: string;
}

/** A version's standing against its model's gates (for one alias, or every gate). */
export interface GateCheck {
  modelId: string;
  version: number;
  alias: string | null;
  passed: boolean;
  results: GateResult[];
}

export interface Review {
  modelId: string;
  version: number;
  user: string;
  decision: 'approve' | 'reject';
  role: Role;
  comment: string;
  createdAt: string;
}

/** Where a batch scoring job reads its rows: a dataset (a version, or the latest at run time) or a SQL query. */
export type BatchSource =
  | { kind: 'dataset'; dataset: string; version: string | null }
  /** A SELECT on one of the project's connections. */
  | { kind: 'connection'; connection: string; sql: string }
  /** A SELECT over the project's datasets (their latest versions), as in the SQL workbench. */
  | { kind: 'datasets_sql'; sql: string };

/** Names of the columns a batch job adds; regression writes `prediction`, classification `probability` or `p_<class>` and `label`. */
export interface BatchOutputColumns {
  prediction: string;
  probability: string;
  /** Multiclass probabilities are `<prefix><class>`. */
  probabilityPrefix: string;
  label: string;
}

/**
 * A table on one of the project's PostgreSQL or MySQL/MariaDB connections that each run also writes its output to,
 * after registering the output version: `replace` swaps in a table of exactly this run's rows, `append` adds them to
 * a table with the same column names (created when missing).
 */
export interface BatchOutputTable {
  /** The connection's name in the project. */
  connection: string;
  /** `name` or `schema.name` (letters, digits, underscores), quoted as given: case matters on PostgreSQL. */
  table: string;
  mode: 'replace' | 'append';
}

export interface BatchJob {
  id: string;
  projectId: string;
  name: string;
  /** `name@alias` or `name@version`, resolved when each run starts. */
  model: string;
  source: BatchSource;
  /** The dataset each run's output becomes a new version of. */
  outputDataset: string;
  partitions: number;
  /** Croner expression (5 or 6 fields, seconds first when 6), or null for on-demand only. */
  schedule: string | null;
  /** Input columns copied to the output, or null for all of them. */
  keepColumns: string[] | null;
  outputColumns: BatchOutputColumns;
  outputTable: BatchOutputTable | null;
  /** When the schedule fires next (claimed by compare-and-set, so replicas on one database start it once). */
  nextRunAt: string | null;
  createdAt: string;
  createdBy: string;
}

export interface NewBatchJob {
  name: string;
  model: string;
  source: BatchSource;
  outputDataset: string;
  partitions?: number;
  schedule?: string | null;
  keepColumns?: string[] | null;
  outputColumns?: Partial<BatchOutputColumns>;
  outputTable?: BatchOutputTable | null;
}

export type BatchJobChange = Partial<Omit<NewBatchJob, 'name'>>;

export type BatchRunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'skipped';

export interface BatchRun {
  id: string;
  jobId: string;
  projectId: string;
  trigger: 'manual' | 'schedule';
  status: BatchRunStatus;
  /** The reference as the job had it, and the version it resolved to when the run started. */
  modelRef: string;
  modelVersion: number | null;
  /** The dataset version read (null for a connection query). */
  inputDatasetId: string | null;
  inputVersion: string | null;
  partitionsTotal: number;
  partitionsDone: number;
  rowsTotal: number | null;
  rowsDone: number;
  outputDatasetId: string | null;
  outputVersion: string | null;
  /** Where the run wrote its output rows, once written (null without an output table, or when writing failed). */
  outputTable: { connection: string; table: string; rows: number } | null;
  error: { code: string; message: string } | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  createdBy: string;
}

/** What a probe expects of the prediction for its record; at least one field. */
export interface ProbeExpectation {
  /** Classification: the predicted class. */
  label?: string;
  /** Regression: the predicted value, within `tolerance` (0 by default). */
  value?: number;
  tolerance?: number;
  /** Regression: bounds on the predicted value (inclusive). */
  min?: number;
  max?: number;
  /** Classification: bounds on one class's probability (inclusive). */
  probability?: { class: string; min?: number; max?: number };
}

/** A synthetic record with the output the model must give for it. */
export interface Probe {
  name: string;
  record: FeatureRecord;
  expect: ProbeExpectation;
}

export interface ProbeSchedule {
  /** Minutes between live probes of every endpoint serving the model. */
  everyMinutes: number;
}

/** PUT /models/{m}/probes: replaces the model's probe set. */
export interface ProbeSetInput {
  probes: Probe[];
  /** Live probing of the model's endpoints; left out or null for none. */
  schedule?: ProbeSchedule | null;
}

export interface ProbeSet {
  modelId: string;
  probes: Probe[];
  schedule: ProbeSchedule | null;
  updatedAt: string;
  updatedBy: string;
}

export interface ProbeResult {
  name: string;
  passed: boolean;
  /** What the model answered, or null when it could not score the record. */
  actual: Prediction | null;
  /** Why it passed or failed, for people. */
  reason: string;
}

/** Which of an endpoint's routes a live probe run scored. */
export type ProbeRoute = 'primary' | 'canary' | 'shadow';

/** One run of a model's probe set: against a version (manual or at a gate) or an endpoint's route (live). */
export interface ProbeRun {
  id: string;
  modelId: string;
  version: number;
  /** The endpoint and route probed, or null for a run against the version alone. */
  endpointId: string | null;
  route: ProbeRoute | null;
  trigger: 'manual' | 'gate' | 'schedule';
  passed: boolean;
  /** Probes that failed. */
  failed: number;
  results: ProbeResult[];
  createdAt: string;
  createdBy: string;
}

/** The parts of a model card people write (PUT /models/{m}/versions/{v}/model-card); the rest is generated. */
export interface ModelCardFields {
  intendedUse?: string;
  limitations?: string;
  ethicalConsiderations?: string;
  caveats?: string;
  owners?: string[];
  notes?: string;
}

/** The written part as stored, with who saved it last (null before anyone did). */
export interface ModelCardEdits extends ModelCardFields {
  updatedAt: string | null;
  updatedBy: string | null;
}

/** A version's model card: what the platform knows about it, generated on request, plus the written fields. */
export interface ModelCard {
  model: { id: string; name: string; description: string };
  version: {
    version: number;
    source: 'run' | 'onnx';
    description: string;
    tags: Record<string, string>;
    createdAt: string;
    createdBy: string;
  };
  edits: ModelCardEdits;
  /** The run that trained the version, or null when it is gone. */
  training: {
    runId: string;
    algorithm: string | null;
    task: Task | null;
    target: string | null;
    params: Record<string, number | string | boolean>;
    metrics: Record<string, MetricValue>;
    environment: RunEnvironment | null;
    durationMs: number | null;
    finishedAt: string | null;
  } | null;
  /** The training data, or null when the run names no dataset. */
  data: {
    datasetId: string;
    dataset: string | null;
    version: string;
    rows: number | null;
    columns: { name: string; type: string }[];
    /** Versions the training data was derived from. */
    parents: { datasetId: string; dataset: string | null; version: string }[];
  } | null;
  /** Per-feature summary from the stored training profile, or null when none is stored. */
  trainingProfile: { features: { name: string; summary: string }[] } | null;
  /** Slices (subgroups) with their metrics, from the training profile or explanation, when stored. */
  slices: { name: string; metrics: Record<string, number> }[];
  /** Feature importances from the stored global explanation, most important first, or null. */
  explanation: { method: string; features: { name: string; importance: number }[] } | null;
  generatedAt: string;
}

// --- alerts (monitoring) -----------------------------------------------------------------------------------------------

/** What an alert rule watches over its window on one endpoint. */
export type AlertMetric =
  | 'latency_p50'
  | 'latency_p99'
  | 'error_rate'
  | 'accuracy'
  | 'auc'
  | 'log_loss'
  | 'rmse'
  | 'mae'
  | 'drift_share'
  | 'dataset_drift'
  | 'out_of_profile_share'
  | 'probe_failure'
  | 'demographic_parity_ratio'
  | 'equal_opportunity_ratio'
  | 'demographic_parity_difference'
  | 'equalized_odds_difference';

export type AlertComparison = '>' | '>=' | '<' | '<=';
export type AlertSeverity = 'warning' | 'critical';

/**
 * What a rule's metric is about. The fairness metrics (`demographic_parity_ratio`, `equal_opportunity_ratio`,
 * `demographic_parity_difference`, `equalized_odds_difference`) need `column`: a feature read from the logged inputs,
 * as `GET /endpoints/{e}/fairness?column=` takes it, with its `positiveClass` and `minGroupSize` (default 30).
 */
export interface AlertRuleOptions {
  column?: string;
  positiveClass?: string;
  minGroupSize?: number;
}

/**
 * Training started when a rule fires: a `CreateRun` body (in the endpoint's project), or `{run}` to repeat a previous
 * run on the newest version of its dataset; the run's model is then registered as `registerAs` and `promoteAlias` moved
 * to it when the gates allow.
 */
export interface RetrainAction {
  kind: 'retrain';
  runTemplate: CreateRun | { run: string };
  registerAs?: string;
  promoteAlias?: string;
}

export interface NewAlertRule {
  name: string;
  metric: AlertMetric;
  /** A duration such as `15m`, `1h`, `7d` (s, m, h, d). */
  window: string;
  comparison: AlertComparison;
  threshold: number;
  /** Fewer samples in the window than this is "no data" (default 1). */
  minSamples?: number;
  severity?: AlertSeverity;
  /** `secret` is write-only: answers say `hasSecret`. */
  webhook?: { url: string; secret?: string } | null;
  action?: RetrainAction | null;
  enabled?: boolean;
  /** No new alert from this rule within this duration of its last one (default `1h`). */
  cooldown?: string;
  /** Required with `column` for the fairness metrics; null removes them on a change. */
  options?: AlertRuleOptions | null;
}

/** A change to a rule: any of the create fields; `webhook.secret` left out keeps the stored secret. */
export type AlertRuleChange = Partial<NewAlertRule>;

export interface AlertEvaluation {
  at: string;
  /** null: no data (no source for the metric, or fewer samples than `minSamples`). */
  value: number | null;
  samples: number;
  status: 'ok' | 'firing' | 'no_data';
}

export interface AlertRule {
  id: string;
  endpointId: string;
  projectId: string;
  name: string;
  metric: AlertMetric;
  window: string;
  comparison: AlertComparison;
  threshold: number;
  minSamples: number;
  severity: AlertSeverity;
  webhook: { url: string; hasSecret: boolean } | null;
  action: RetrainAction | null;
  enabled: boolean;
  cooldown: string;
  options: AlertRuleOptions | null;
  lastEvaluation: AlertEvaluation | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string | null;
}

export type AlertState = 'firing' | 'resolved';
export type AlertDeliveryStatus = 'none' | 'pending' | 'delivered' | 'failed';

/** What a rule's retraining action did. */
export interface AlertActionState {
  status: 'training' | 'failed' | 'registered' | 'promoted' | 'gates_failed';
  runId: string | null;
  model: string | null;
  modelVersion: number | null;
  /** Why training, registration or the alias move failed (a gate failure's message). */
  message: string | null;
}

export interface Alert {
  id: string;
  projectId: string;
  endpointId: string;
  /** null for an event raised without a matching rule. */
  ruleId: string | null;
  ruleName: string | null;
  metric: AlertMetric | null;
  /** `rule` for a rule's evaluation, else the raised event's kind (e.g. `probe_failure`). */
  kind: string;
  severity: AlertSeverity;
  message: string;
  value: number | null;
  threshold: number | null;
  comparison: AlertComparison | null;
  window: string | null;
  samples: number | null;
  state: AlertState;
  details: Record<string, unknown>;
  deliveryStatus: AlertDeliveryStatus;
  action: AlertActionState | null;
  createdAt: string;
  resolvedAt: string | null;
}

export interface WebhookAttempt {
  at: string;
  /** The HTTP status, or null when no answer came (timeout, refused). */
  status: number | null;
  error: string | null;
  durationMs: number;
}

export interface WebhookDelivery {
  id: string;
  alertId: string;
  event: 'alert.firing' | 'alert.resolved';
  /** The target without user info or query. */
  target: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  history: WebhookAttempt[];
  createdAt: string;
  deliveredAt: string | null;
}

export interface AlertWithDeliveries extends Alert {
  deliveries: WebhookDelivery[];
}

export interface AlertQuery extends PageQuery {
  state?: AlertState;
}

/** A drift test (Evidently's names): p-value tests and distances. */
export type DriftTestName = 'ks' | 'chisquare' | 'z' | 'wasserstein' | 'jensenshannon' | 'psi';

/** Per-column test choice and threshold; absent fields take the defaults (chosen by column type and reference size). */
export interface DriftColumnOptions {
  test?: DriftTestName;
  threshold?: number;
}

/** What one window of an endpoint's traffic is compared with. */
export type DriftReference =
  | { kind: 'training' }
  | { kind: 'window'; from: string; to: string }
  /** Only in a monitor: the window of the same length just before the current one. */
  | { kind: 'previous_window' };

export interface DriftColumnResult {
  column: string;
  kind: 'number' | 'category';
  test: DriftTestName;
  /** The test's statistic: KS D, χ², z, or the distance itself. */
  statistic: number;
  /** For KS, χ² and z; null for distances. */
  pValue: number | null;
  /** What the threshold is compared with: the p-value (drift below) or the distance (drift at or above). */
  score: number;
  threshold: number;
  drifted: boolean;
  referenceSize: number;
  currentSize: number;
}

export interface DriftReport {
  id: string;
  endpointId: string;
  createdAt: string;
  trigger: 'manual' | 'schedule';
  window: { from: string; to: string };
  reference: { kind: 'training' } | { kind: 'window'; from: string; to: string };
  /** The version the features were taken from (`name@version`). */
  modelRef: string | null;
  currentRows: number;
  referenceRows: number;
  /** Features only; the model's output is reported as `prediction`. */
  columns: DriftColumnResult[];
  prediction: DriftColumnResult | null;
  /** Columns that could not be tested (no values on a side, a test that does not fit the column). */
  skipped: { column: string; reason: string }[];
  driftedColumns: number;
  testedColumns: number;
  /** Dataset drift: at least `share` of the tested features drifted. */
  share: number;
  datasetDrift: boolean;
}

export interface NewDriftRun {
  /** ISO timestamps; default: the 24 hours before now. */
  from?: string;
  to?: string;
  /** Default: the training profile of the version the endpoint serves. */
  reference?: { kind: 'training' } | { kind: 'window'; from: string; to: string };
  columns?: Record<string, DriftColumnOptions>;
  share?: number;
}

/** Scheduled drift of an endpoint: every `schedule` tick, the last `window` against the reference. */
export interface DriftMonitor {
  endpointId: string;
  /** Croner expression, or null for none (reports on demand only). */
  schedule: string | null;
  /** Duration such as `15m`, `1h`, `1d`. */
  window: string;
  reference: { kind: 'training' } | { kind: 'previous_window' };
  columns: Record<string, DriftColumnOptions>;
  share: number;
  nextRunAt: string | null;
  updatedAt: string;
  updatedBy: string;
}

export interface DriftMonitorSettings {
  schedule: string | null;
  window?: string;
  reference?: { kind: 'training' } | { kind: 'previous_window' };
  columns?: Record<string, DriftColumnOptions>;
  share?: number;
}

/**
 * `POST /models/{m}/versions/{v}/explanation`: the data to explain the version on. Default the run's own dataset
 * version; an imported ONNX version has none, so `dataset` is required for it (and `target` unless the file names it).
 */
export interface NewVersionExplanation {
  /** A dataset of the model's project. */
  dataset?: string;
  /** A version hash (or a unique prefix) of `dataset`; default its latest. */
  version?: string;
  /** The target column; default the model's. */
  target?: string;
}

/** A version's global explanation, computed on (a sample of) the data its run trained on, or the data named. */
export interface VersionExplanation {
  version: 1;
  /** The model's kind: glm, gbdt, forest, stacked, or onnx for an imported ONNX model. */
  model: string;
  features: string[];
  /** Rows explained and permuted. */
  rows: number;
  /** Mean |SHAP| per feature; null for models without exact SHAP (stacked ensembles, imported ONNX models). */
  shap: {
    space: 'margin' | 'mean';
    outputs: string[];
    expected: number[];
    meanAbs: { feature: string; values: number[]; total: number }[];
  } | null;
  /** The loss increase when a feature's values are shuffled; null without a target. */
  permutation: {
    metric: 'log_loss' | 'multiclass_log_loss' | 'rmse';
    greaterIsBetter: false;
    baseline: number;
    repeats: number;
    importances: { feature: string; mean: number; std: number }[];
  } | null;
  /** The most important features' partial dependence (mean prediction over a grid) and a few ICE curves. */
  partialDependence: {
    feature: string;
    kind: 'number' | 'category';
    grid: number[] | string[];
    outputs: number;
    mean: number[][];
    ice: { row: number; values: number[][] }[];
    rows: number;
  }[];
  computedAt: string;
  runId: string;
  datasetVersion: string;
}

// --- fairness slices (monitoring) -------------------------------------------------------------------------------------

/** The metrics of one group of rows; a metric the task or group cannot have is null. */
export interface FairnessGroupMetrics {
  count: number;
  /** count over every row sliced. */
  share: number;
  /** Rows whose true class is the positive class; null for regression. */
  positives: number | null;
  /** Share predicted as the positive class (classification); the mean prediction (regression). */
  selectionRate: number | null;
  /** TP / (TP + FN); 0 when the group has no positives, as fairlearn's `true_positive_rate`. */
  truePositiveRate: number | null;
  /** FP / (FP + TN); 0 when the group has no negatives. */
  falsePositiveRate: number | null;
  accuracy: number | null;
  /** ROC AUC of the positive class's probability; null with one class in the group. */
  auc: number | null;
  rmse: number | null;
  mae: number | null;
}

/** One segment value (or one pair, in an intersection) and its metrics. */
export interface FairnessGroup extends FairnessGroupMetrics {
  /** One label per column of the table: the category, a quantile bin such as `(31.5, 39.3]`, or `(missing)`. */
  values: string[];
  /** Fewer rows than `minGroupSize`: reported, left out of the disparity. */
  small: boolean;
}

/**
 * Between the groups that are not small, as fairlearn defines them: ratio min / max and difference max − min of the
 * selection rates (demographic parity) and of the true positive rates (equal opportunity), and the equalized-odds
 * difference (the larger of the TPR and FPR differences). null with fewer than two groups to compare.
 */
export interface FairnessDisparity {
  groups: number;
  demographicParityRatio: number | null;
  demographicParityDifference: number | null;
  equalOpportunityRatio: number | null;
  equalOpportunityDifference: number | null;
  equalizedOddsDifference: number | null;
}

export interface FairnessTable {
  columns: string[];
  groups: FairnessGroup[];
  disparity: FairnessDisparity;
}

/** Metrics per segment of one or two columns (then also their intersection), with the disparity between segments. */
export interface FairnessSlices {
  task: 'classification' | 'regression';
  /** null for regression. */
  positiveClass: string | null;
  minGroupSize: number;
  overall: FairnessGroupMetrics;
  /** Edges of each numeric column cut into quantile bins (lowest, cut points…, highest). */
  bins: { column: string; edges: number[] }[];
  /** One table per column, then the intersection of two columns. */
  tables: FairnessTable[];
}

/** `POST /models/{m}/versions/{v}/fairness`: columns of the run's dataset (features or not). */
export interface NewVersionFairness {
  /** One or two columns; with two, their intersection too. */
  columns: string[];
  /** Classification: default the second of two classes; required with more. */
  positiveClass?: string;
  /** Default 30. */
  minGroupSize?: number;
}

/** A version's fairness slices on its run's dataset version, stored with the version. */
export interface VersionFairness extends FairnessSlices {
  /** `holdout`: the rows the run held out (its split reproduced); `all`: every row (cross-validated runs, no split). */
  rows: 'all' | 'holdout';
  computedAt: string;
  runId: string;
  datasetVersion: string;
}

export interface EndpointFairnessQuery {
  /** A feature of the served model, read from the logged inputs. */
  column: string;
  /** Default the last 24 h. */
  from?: string;
  to?: string;
  positiveClass?: string;
  minGroupSize?: number;
}

/** Fairness slices over an endpoint's labelled records answered in [from, to) (every served version together). */
export interface EndpointFairness extends FairnessSlices {
  endpointId: string;
  from: string;
  to: string;
  /** Labelled records read (at most 200,000, the oldest first). */
  records: number;
}

/** The metrics computed from feedback labels: accuracy, log_loss, auc (two classes) or rmse, mae, r2. */
export type LabelledMetricName = 'accuracy' | 'log_loss' | 'auc' | 'rmse' | 'mae' | 'r2';

/** Metrics of the labelled records in one span; null where no labels or the metric is undefined on them. */
export interface LabelledWindow {
  from: string;
  to: string;
  /** Labelled records whose request was answered in [from, to). */
  count: number;
  metrics: Partial<Record<LabelledMetricName, number | null>>;
}

export interface AccuracyBucket extends LabelledWindow {
  /** The trailing `window` ending at this bucket's end; null when the query asked for no window. */
  rolling: LabelledWindow | null;
  /** This bucket's records by the route that answered them. */
  routes: { primary: LabelledWindow; canary: LabelledWindow };
}

/** GET /endpoints/{e}/accuracy: metrics from delayed labels per bucket of prediction time, optionally rolling. */
export interface AccuracySeries {
  endpointId: string;
  from: string;
  to: string;
  bucket: string;
  window: string | null;
  /** From the labels' type; null when no labelled record was found. */
  task: 'classification' | 'regression' | null;
  /** The metrics every bucket lists (the task's). */
  metrics: LabelledMetricName[];
  buckets: AccuracyBucket[];
  /** Labelled records read; `truncated` when the read limit cut the oldest-first read short. */
  records: number;
  truncated: boolean;
}

export interface AccuracyQuery {
  from?: string;
  to?: string;
  /** Bucket length such as `1h` or `1d` (default `1d`). */
  bucket?: string;
  /** Rolling window such as `7d`: each bucket also carries the metrics of the window ending at its end. */
  window?: string;
}

/** A model's retraining schedule: a cron schedule starting a run from a template; gates decide the promotion. */
export interface NewRetrainSchedule {
  /** A cron expression croner reads (5 fields, or 6 with seconds first). */
  schedule: string;
  /** A CreateRun body, or `{run}` to repeat a run on its dataset's newest version (as alert actions take). */
  runTemplate: CreateRun | { run: string };
  /** The model the result is registered as (default: this model). */
  registerAs?: string;
  /** The alias to move to the new version when its gates pass. */
  promoteAlias?: string;
}

export interface RetrainSchedule {
  id: string;
  projectId: string;
  modelId: string;
  schedule: string;
  runTemplate: CreateRun | { run: string };
  registerAs: string;
  promoteAlias: string | null;
  nextRunAt: string | null;
  createdAt: string;
  createdBy: string;
}

/** A gate that refused a scheduled promotion. */
export interface FailingGate {
  gate: string;
  rule: GateRule;
  reason: string;
}

/** What one tick of a retraining schedule came to. */
export interface RetrainScheduleRun {
  id: string;
  scheduleId: string;
  /** The tick (the claimed schedule time). */
  tickAt: string;
  startedAt: string;
  status: 'training' | 'failed' | 'registered' | 'promoted' | 'gates_failed';
  runId: string | null;
  model: string;
  modelVersion: number | null;
  /** Why training, registration or the promotion failed. */
  message: string | null;
  /** The gates that refused the promotion (`gates_failed`), else empty. */
  failingGates: FailingGate[];
  finishedAt: string | null;
}
