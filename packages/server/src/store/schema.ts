// Table shapes of the metadata store, shared by the SQLite and PostgreSQL adapters (JSON kept as text, times as ISO).

import type { Generated } from 'kysely';

export interface UsersTable {
  id: string;
  name: string;
  is_admin: number;
  created_at: string;
}

export interface TokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
}

export interface ProjectsTable {
  id: string;
  name: string;
  description: string;
  created_at: string;
  created_by: string;
}

export interface MembersTable {
  project_id: string;
  user_id: string;
  role: string;
}

export interface DatasetsTable {
  id: string;
  project_id: string;
  name: string;
  description: string;
  created_at: string;
  created_by: string;
  /** JSON {keepLast, maxAgeDays}, or null to keep every version. */
  retention: string | null;
}

export interface DatasetVersionsTable {
  dataset_id: string;
  version: string;
  seq: number;
  snapshot_key: string;
  rows: number;
  bytes: number;
  source: string;
  profile: string;
  created_at: string;
  created_by: string;
  pinned: number;
}

export interface DatasetTagsTable {
  dataset_id: string;
  key: string;
  value: string;
}

export interface DatasetVersionTagsTable {
  dataset_id: string;
  version: string;
  key: string;
  value: string;
}

export interface SnapshotTrashTable {
  snapshot_key: string;
  orphaned_at: string;
}

export interface RunsTable {
  id: string;
  project_id: string;
  experiment_id: string;
  parent_run_id: string | null;
  name: string;
  /** training | tracked | command */
  kind: string;
  status: string;
  /** active | deleted */
  lifecycle_stage: string;
  task: string | null;
  algorithm: string | null;
  target: string | null;
  dataset_id: string | null;
  dataset_version: string | null;
  /** The training request's typed params as JSON ('{}' for other runs); run_params holds every run's params. */
  params: string;
  progress: number;
  error: string | null;
  environment: string | null;
  artifact_key: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  created_by: string;
  deleted_at: string | null;
}

export interface ExperimentsTable {
  id: string;
  project_id: string;
  name: string;
  description: string;
  lifecycle_stage: string;
  created_at: string;
  updated_at: string;
  created_by: string;
}

export interface ExperimentTagsTable {
  experiment_id: string;
  key: string;
  value: string;
}

export interface RunKeyValueTable {
  run_id: string;
  key: string;
  value: string;
}

export interface RunMetricsTable {
  id: Generated<number>;
  run_id: string;
  key: string;
  value: number | null;
  is_nan: number;
  step: number;
  timestamp: number;
}

export interface RunLatestMetricsTable {
  run_id: string;
  key: string;
  value: number | null;
  is_nan: number;
  step: number;
  timestamp: number;
}

export interface StudiesTable {
  id: string;
  project_id: string;
  experiment_id: string;
  run_id: string;
  name: string;
  dataset_id: string;
  dataset_version: string;
  target: string;
  task: string;
  algorithm: string;
  /** JSON: the search space, fixed params and sampler config. */
  space: string;
  params: string;
  sampler: string;
  pruner: string;
  metric: string;
  direction: string;
  parallelism: number;
  max_trials: number;
  time_budget_s: number | null;
  /** running | finished | stopped */
  status: string;
  best_run_id: string | null;
  created_at: string;
  finished_at: string | null;
  created_by: string;
}

export interface AutomlJobsTable {
  id: string;
  project_id: string;
  experiment_id: string;
  run_id: string;
  name: string;
  dataset_id: string;
  dataset_version: string;
  target: string;
  task: string;
  metric: string;
  direction: string;
  time_budget_s: number;
  folds: number;
  seed: number;
  register_model: string | null;
  register_alias: string | null;
  /** running | finished | failed */
  status: string;
  /** baselines | search | refit | forests | ensemble | done */
  stage: string;
  study_id: string | null;
  leader_run_id: string | null;
  model_version: number | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
  created_by: string;
}

export interface RunInputsTable {
  run_id: string;
  dataset_id: string;
  version: string;
  context: string;
}

export interface StudyTrialsTable {
  study_id: string;
  number: number;
  run_id: string;
}

export interface ModelsTable {
  id: string;
  project_id: string;
  name: string;
  description: string;
  created_at: string;
  created_by: string;
}

export interface ModelVersionsTable {
  model_id: string;
  version: number;
  run_id: string;
  created_at: string;
  created_by: string;
}

export interface ModelAliasesTable {
  model_id: string;
  alias: string;
  version: number;
}

export interface EndpointsTable {
  id: string;
  project_id: string;
  name: string;
  model_ref: string;
  created_at: string;
  created_by: string;
  canary_ref: string | null;
  canary_weight: number;
  shadow_ref: string | null;
  shadow_sample: number;
  max_concurrency: number;
  updated_at: string | null;
}

export interface InferenceLogTable {
  id: string;
  endpoint_id: string;
  model_version: number;
  inputs: string;
  outputs: string;
  latency_ms: number;
  created_at: string;
  /** 'primary' or 'canary': which of the endpoint's routes answered. */
  route: string;
  model_ref: string | null;
  /** Records of the request with at least one out-of-profile flag (migration-monitoring.ts). */
  flagged_records: Generated<number>;
}

/** What a shadow version answered to a mirrored request (never returned to the caller). */
export interface ShadowLogTable {
  /** The request id of the mirrored request. */
  id: string;
  endpoint_id: string;
  model_ref: string;
  model_version: number | null;
  outputs: string | null;
  error: string | null;
  latency_ms: number;
  created_at: string;
}

/** A delayed label for one record of a logged request (migration-feedback.ts). */
export interface InferenceFeedbackTable {
  endpoint_id: string;
  request_id: string;
  record_index: number;
  /** The class, for classification; null for a regression target. */
  label: string | null;
  label_number: number | null;
  received_at: string;
  received_by: string;
}

/** One comparison of an endpoint's traffic with a reference (migration-monitoring.ts). */
export interface DriftReportsTable {
  id: string;
  endpoint_id: string;
  created_at: string;
  trigger: string;
  window_from: string;
  window_to: string;
  reference_kind: string;
  reference_from: string | null;
  reference_to: string | null;
  model_ref: string | null;
  current_rows: number;
  reference_rows: number;
  drifted_columns: number;
  tested_columns: number;
  dataset_drift: number;
  /** JSON: the per-column results. */
  columns: string;
}

/** An endpoint's drift monitor (migration-monitoring.ts). */
export interface DriftMonitorsTable {
  endpoint_id: string;
  schedule: string | null;
  window: string;
  /** JSON: the reference (training profile, or the window before). */
  reference: string;
  /** JSON: per-column tests and thresholds, the dataset drift share. */
  options: string;
  next_run_at: string | null;
  updated_at: string;
  updated_by: string;
}

export interface ModelGatesTable {
  id: string;
  model_id: string;
  kind: string;
  /** JSON: the gate's settings (metric thresholds, reviewer count and role). */
  config: string;
  /** JSON array of the aliases the gate guards; empty for every alias. */
  aliases: string;
  created_at: string;
  created_by: string;
}

export interface ModelVersionReviewsTable {
  model_id: string;
  version: number;
  user_id: string;
  decision: string;
  /** The reviewer's role on the project when they decided. */
  role: string;
  comment: string;
  created_at: string;
}

export interface AuditEventsTable {
  id: Generated<number>;
  actor: string;
  action: string;
  object_type: string;
  object_id: string;
  project_id: string | null;
  details: string;
  at: string;
}

export interface ConnectionsTable {
  id: string;
  project_id: string;
  name: string;
  kind: string;
  host: string;
  port: number;
  database: string;
  user_name: string;
  /** JSON: driver options without secrets (e.g. ssl). */
  options: string;
  sealed_secret: string;
  created_at: string;
  created_by: string;
}

export interface DatasetSourcesTable {
  dataset_id: string;
  kind: string;
  path: string | null;
  connection_id: string | null;
  query: string | null;
  updated_at: string;
  /** JSON of the read options a file source is read again with (skipBadRows). */
  options: string | null;
}

export interface DatasetVersionParentsTable {
  dataset_id: string;
  version: string;
  parent_dataset_id: string;
  parent_version: string;
}

/** A model's retraining schedule (migration-retraining.ts). */
export interface RetrainSchedulesTable {
  id: string;
  project_id: string;
  model_id: string;
  schedule: string;
  run_template: string;
  register_as: string;
  promote_alias: string | null;
  next_run_at: string | null;
  created_at: string;
  created_by: string;
}

/** What one tick of a retraining schedule came to (migration-retraining.ts). */
export interface RetrainScheduleRunsTable {
  id: string;
  schedule_id: string;
  tick_at: string;
  started_at: string;
  status: string;
  run_id: string | null;
  model: string;
  model_version: number | null;
  message: string | null;
  failing: string | null;
  finished_at: string | null;
}

export interface Database {
  users: UsersTable;
  tokens: TokensTable;
  projects: ProjectsTable;
  members: MembersTable;
  datasets: DatasetsTable;
  dataset_versions: DatasetVersionsTable;
  runs: RunsTable;
  models: ModelsTable;
  model_versions: ModelVersionsTable;
  model_aliases: ModelAliasesTable;
  endpoints: EndpointsTable;
  inference_log: InferenceLogTable;
  shadow_log: ShadowLogTable;
  inference_feedback: InferenceFeedbackTable;
  drift_reports: DriftReportsTable;
  drift_monitors: DriftMonitorsTable;
  retrain_schedules: RetrainSchedulesTable;
  retrain_schedule_runs: RetrainScheduleRunsTable;
  model_gates: ModelGatesTable;
  model_version_reviews: ModelVersionReviewsTable;
  audit_events: AuditEventsTable;
  connections: ConnectionsTable;
  dataset_sources: DatasetSourcesTable;
  dataset_version_parents: DatasetVersionParentsTable;
  dataset_tags: DatasetTagsTable;
  dataset_version_tags: DatasetVersionTagsTable;
  snapshot_trash: SnapshotTrashTable;
  experiments: ExperimentsTable;
  experiment_tags: ExperimentTagsTable;
  run_params: RunKeyValueTable;
  run_tags: RunKeyValueTable;
  run_metrics: RunMetricsTable;
  run_latest_metrics: RunLatestMetricsTable;
  studies: StudiesTable;
  study_trials: StudyTrialsTable;
  automl_jobs: AutomlJobsTable;
  run_inputs: RunInputsTable;
  batch_jobs: BatchJobsTable;
  batch_runs: BatchRunsTable;
  batch_run_partitions: BatchRunPartitionsTable;
  probe_sets: ProbeSetsTable;
  probe_runs: ProbeRunsTable;
  alert_rules: AlertRulesTable;
  alerts: AlertsTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

/** Batch scoring (migration 0013); `source`, `keep_columns` and `output_columns` are JSON. */
export interface BatchJobsTable {
  id: string;
  project_id: string;
  name: string;
  model_ref: string;
  source: string;
  output_dataset: string;
  partitions: number;
  schedule: string | null;
  keep_columns: string | null;
  output_columns: string;
  /** JSON BatchOutputTable, or null (migration 0014). */
  output_table: string | null;
  next_run_at: string | null;
  created_at: string;
  created_by: string;
}

export interface BatchRunsTable {
  id: string;
  job_id: string;
  project_id: string;
  trigger: string;
  status: string;
  model_ref: string;
  model_version: number | null;
  artifact_key: string | null;
  input_dataset_id: string | null;
  input_version: string | null;
  /** JSON list of the dataset versions a datasets-SQL source read. */
  input_parents: string;
  partitions_total: number;
  rows_total: number | null;
  output_dataset_id: string | null;
  output_version: string | null;
  /** JSON {connection, table, rows} once the run wrote its output table (migration 0014). */
  output_table: string | null;
  error_code: string | null;
  error_message: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  created_by: string;
}

export interface BatchRunPartitionsTable {
  run_id: string;
  part: number;
  rows: number;
  finished_at: string;
}

/** Ground-truth probes (migration 0018); `probes` and `results` are JSON. */
export interface ProbeSetsTable {
  model_id: string;
  project_id: string;
  probes: string;
  every_minutes: number | null;
  updated_at: string;
  updated_by: string;
}

export interface ProbeRunsTable {
  id: string;
  project_id: string;
  model_id: string;
  version: number;
  endpoint_id: string | null;
  route: string | null;
  trigger: string;
  passed: number;
  failed: number;
  results: string;
  created_at: string;
  created_by: string;
}

/**
 * Alert rules (migration 0017); `action`, `last_evaluation` and `options` (migration 0020) are JSON, `webhook_secret`
 * is sealed.
 */
export interface AlertRulesTable {
  id: string;
  project_id: string;
  endpoint_id: string;
  name: string;
  metric: string;
  window: string;
  comparison: string;
  threshold: number;
  min_samples: number;
  severity: string;
  webhook_url: string | null;
  webhook_secret: string | null;
  action: string | null;
  enabled: number;
  cooldown: string;
  last_evaluation: string | null;
  created_at: string;
  created_by: string;
  updated_at: string | null;
  options: string | null;
}

/** The alert history; `details` and `action` are JSON. */
export interface AlertsTable {
  id: string;
  project_id: string;
  endpoint_id: string;
  rule_id: string | null;
  rule_name: string | null;
  metric: string | null;
  kind: string;
  severity: string;
  message: string;
  value: number | null;
  threshold: number | null;
  comparison: string | null;
  window: string | null;
  samples: number | null;
  state: string;
  details: string;
  delivery_status: string;
  action: string | null;
  created_at: string;
  resolved_at: string | null;
}

/** The webhook outbox; `history` is a JSON list of attempts. */
export interface WebhookDeliveriesTable {
  id: string;
  alert_id: string;
  event: string;
  url: string;
  payload: string;
  signature: string | null;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  history: string;
  created_at: string;
  delivered_at: string | null;
}
