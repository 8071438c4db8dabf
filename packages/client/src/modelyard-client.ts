// The typed SDK: one method per route of the REST API (docs/api.md), in the same order.

import { ApiError } from './api-error.js';
import { paginate, type PageFetcher } from './paginate.js';
import { Transport, type TransportOptions } from './transport.js';
import { path } from './url-path.js';
import type {
  AuditEvent,
  Connection,
  ConnectionCheck,
  CreateConnection,
  CreateDatasetFromQuery,
  CreateDatasetFromSql,
  SqlQuery,
  SqlResult,
  SearchHit,
  SearchQuery,
  CreateDatasetFromPath,
  CreatedToken,
  CreateRun,
  Dataset,
  DatasetVersion,
  Endpoint,
  EndpointUpdate,
  ExportFormat,
  Gate,
  GateCheck,
  GateRule,
  ModelCard,
  ModelCardFields,
  ProbeRun,
  ProbeSet,
  ProbeSetInput,
  Review,
  ShadowReport,
  Feedback,
  FeedbackReply,
  DriftMonitor,
  AccuracyQuery,
  AccuracySeries,
  NewRetrainSchedule,
  RetrainSchedule,
  RetrainScheduleRun,
  DriftMonitorSettings,
  DriftReport,
  NewDriftRun,
  VersionExplanation,
  NewVersionExplanation,
  NewVersionFairness,
  VersionFairness,
  EndpointFairness,
  EndpointFairnessQuery,
  FeatureRecord,
  GcReport,
  GcRequest,
  UpdateDataset,
  CreateExperiment,
  CreateStudy,
  CreateAutoml,
  AutomlJob,
  AutomlLeaderboardRow,
  BatchJob,
  BatchJobChange,
  BatchRun,
  NewBatchJob,
  Study,
  StudyTrial,
  Experiment,
  LifecycleStage,
  LogBatch,
  MetricHistoryQuery,
  MetricPoint,
  RunSearchQuery,
  RunComparison,
  RunInput,
  StartRun,
  UpdateExperiment,
  UpdateRun,
  InferenceRecord,
  LineageGraph,
  LineageKind,
  LineageQuery,
  Me,
  Member,
  Model,
  ModelVersion,
  Page,
  PageQuery,
  PredictResponse,
  Project,
  Role,
  Run,
  User,
  RunArtifactList,
  RunLogs,
  RunLogsQuery,
  StartCommandRun,
  UploadedArtifact,
  Alert,
  AlertQuery,
  AlertRule,
  AlertRuleChange,
  AlertWithDeliveries,
  NewAlertRule,
} from './types.js';

export type ModelyardClientOptions = TransportOptions;

export interface DatasetUpload {
  name: string;
  /** The file's bytes (a browser `File` is a Blob). */
  data: Blob | Uint8Array;
  /** The file name the server sees; its extension tells the format (`.csv`, `.parquet`, `.json`). */
  filename: string;
  description?: string;
  /** CSV: leave out unreadable rows instead of refusing the file. */
  skipBadRows?: boolean;
}

export interface WaitForRunOptions {
  /** Time between polls; 1000 ms by default. */
  intervalMs?: number;
  /** Give up after this long with an ApiError coded `timeout`; no limit by default. */
  timeoutMs?: number;
  /** Called with every polled state, the final one included. */
  onProgress?: (run: Run) => void;
}

export interface AuditQuery extends PageQuery {
  /** Only events of this project (by name). */
  project?: string;
}

export const TERMINAL_RUN_STATUSES: readonly Run['status'][] = ['succeeded', 'failed', 'killed'];

export class ModelyardClient {
  readonly #http: Transport;
  /** For raw (streamed) request bodies, which the transport does not send. */
  readonly #opts: ModelyardClientOptions;

  constructor(opts: ModelyardClientOptions) {
    this.#http = new Transport(opts);
    this.#opts = opts;
  }

  /** The server's base URL, without a trailing slash. */
  get baseUrl(): string {
    return this.#http.baseUrl;
  }

  // --- service -------------------------------------------------------------------------------------------------------

  health(): Promise<{ status: string }> {
    return this.#http.json('GET', '/healthz');
  }

  ready(): Promise<{ status: string }> {
    return this.#http.json('GET', '/readyz');
  }

  openapi(): Promise<Record<string, unknown>> {
    return this.#http.json('GET', '/openapi.json');
  }

  // --- users and tokens ----------------------------------------------------------------------------------------------

  me(): Promise<Me> {
    return this.#http.json('GET', '/me');
  }

  createUser(body: { name: string; isAdmin?: boolean }): Promise<User> {
    return this.#http.json('POST', '/users', { json: body });
  }

  listUsers(q?: PageQuery): Promise<Page<User>> {
    return this.#http.json('GET', '/users', { query: { ...q } });
  }

  createToken(userId: string, name: string): Promise<CreatedToken> {
    return this.#http.json('POST', path`/users/${userId}/tokens`, { json: { name } });
  }

  // --- projects and members ------------------------------------------------------------------------------------------

  listProjects(q?: PageQuery): Promise<Page<Project>> {
    return this.#http.json('GET', '/projects', { query: { ...q } });
  }

  createProject(body: { name: string; description?: string }): Promise<Project> {
    return this.#http.json('POST', '/projects', { json: body });
  }

  getProject(name: string): Promise<Project> {
    return this.#http.json('GET', path`/projects/${name}`);
  }

  listMembers(project: string): Promise<Member[]> {
    return this.#http.json('GET', path`/projects/${project}/members`);
  }

  setMember(project: string, userId: string, role: Role): Promise<Member> {
    return this.#http.json('PUT', path`/projects/${project}/members/${userId}`, { json: { role } });
  }

  async removeMember(project: string, userId: string): Promise<void> {
    await this.#http.json<undefined>('DELETE', path`/projects/${project}/members/${userId}`);
  }

  // --- connections ---------------------------------------------------------------------------------------------------

  /** Admins only; the password is encrypted at rest and never returned. */
  createConnection(project: string, body: CreateConnection): Promise<Connection> {
    return this.#http.json('POST', path`/projects/${project}/connections`, { json: body });
  }

  listConnections(project: string, q?: PageQuery): Promise<Page<Connection>> {
    return this.#http.json('GET', path`/projects/${project}/connections`, { query: { ...q } });
  }

  getConnection(connectionId: string): Promise<Connection> {
    return this.#http.json('GET', path`/connections/${connectionId}`);
  }

  testConnection(connectionId: string): Promise<ConnectionCheck> {
    return this.#http.json('POST', path`/connections/${connectionId}/test`);
  }

  async deleteConnection(connectionId: string): Promise<void> {
    await this.#http.json<undefined>('DELETE', path`/connections/${connectionId}`);
  }

  // --- datasets ------------------------------------------------------------------------------------------------------

  /** Uploads a file as multipart (`file`, `name`, `description`); 201 for a new version, 200 for known content. */
  createDatasetFromFile(project: string, upload: DatasetUpload): Promise<Dataset> {
    const form = new FormData();
    form.append('name', upload.name);
    if (upload.description !== undefined) form.append('description', upload.description);
    if (upload.skipBadRows === true) form.append('skipBadRows', 'true');
    // Copying a Uint8Array gives the Blob its own ArrayBuffer (a view over a SharedArrayBuffer is not a BlobPart).
    const blob = upload.data instanceof Uint8Array ? new Blob([new Uint8Array(upload.data)]) : upload.data;
    form.append('file', blob, upload.filename);
    return this.#http.json('POST', path`/projects/${project}/datasets`, { form });
  }

  /** Registers a file that already sits on the server, under one of its allowed roots. */
  createDatasetFromPath(project: string, body: CreateDatasetFromPath): Promise<Dataset> {
    return this.#http.json('POST', path`/projects/${project}/datasets`, { json: body });
  }

  /** The result of a SELECT on one of the project's connections, streamed into a snapshot (editors). */
  createDatasetFromSql(project: string, body: CreateDatasetFromSql): Promise<Dataset> {
    return this.#http.json('POST', path`/projects/${project}/datasets/sql`, { json: body });
  }

  /** Saves the whole result of a workbench query as a dataset whose lineage names the versions it read (editors). */
  createDatasetFromQuery(project: string, body: CreateDatasetFromQuery): Promise<Dataset> {
    return this.#http.json('POST', path`/projects/${project}/datasets/query`, { json: body });
  }

  /** One read-only SELECT over the project's datasets (views named after them), one page of rows (viewers). */
  sql(project: string, query: SqlQuery): Promise<SqlResult> {
    return this.#http.json('POST', path`/projects/${project}/sql`, { json: query });
  }

  /** Reads the dataset's file or SQL source again; a new latest version only when the content changed. */
  refreshDataset(datasetId: string): Promise<Dataset> {
    return this.#http.json('POST', path`/datasets/${datasetId}/refresh`);
  }

  listDatasets(project: string, q?: PageQuery): Promise<Page<Dataset>> {
    return this.#http.json('GET', path`/projects/${project}/datasets`, { query: { ...q } });
  }

  getDataset(datasetId: string): Promise<Dataset> {
    return this.#http.json('GET', path`/datasets/${datasetId}`);
  }

  listDatasetVersions(datasetId: string, q?: PageQuery): Promise<Page<DatasetVersion>> {
    return this.#http.json('GET', path`/datasets/${datasetId}/versions`, { query: { ...q } });
  }

  /** One version by its hash or a unique prefix of it. */
  getDatasetVersion(datasetId: string, version: string): Promise<DatasetVersion> {
    return this.#http.json('GET', path`/datasets/${datasetId}/versions/${version}`);
  }

  /** Description (editors) and retention policy (admins). */
  updateDataset(datasetId: string, change: UpdateDataset): Promise<Dataset> {
    return this.#http.json('PATCH', path`/datasets/${datasetId}`, { json: change });
  }

  /** Sets a tag of the dataset; tags are searchable (editors). */
  setDatasetTag(datasetId: string, key: string, value: string): Promise<Dataset> {
    return this.#http.json('PUT', path`/datasets/${datasetId}/tags/${key}`, { json: { value } });
  }

  async deleteDatasetTag(datasetId: string, key: string): Promise<void> {
    await this.#http.json<undefined>('DELETE', path`/datasets/${datasetId}/tags/${key}`);
  }

  setDatasetVersionTag(datasetId: string, version: string, key: string, value: string): Promise<DatasetVersion> {
    return this.#http.json('PUT', path`/datasets/${datasetId}/versions/${version}/tags/${key}`, { json: { value } });
  }

  async deleteDatasetVersionTag(datasetId: string, version: string, key: string): Promise<void> {
    await this.#http.json<undefined>('DELETE', path`/datasets/${datasetId}/versions/${version}/tags/${key}`);
  }

  /** A pinned version is kept by garbage collection whatever the policy says (editors). */
  pinDatasetVersion(datasetId: string, version: string, pinned = true): Promise<DatasetVersion> {
    return this.#http.json('PATCH', path`/datasets/${datasetId}/versions/${version}`, { json: { pinned } });
  }

  /** Admins; refused (409 version_in_use) for the latest, a pinned, or a used version. */
  async deleteDatasetVersion(datasetId: string, version: string): Promise<void> {
    await this.#http.json<undefined>('DELETE', path`/datasets/${datasetId}/versions/${version}`);
  }

  /** Applies the retention policy (or `request.policy`) now; `dryRun` only reports (admins). */
  collectDatasetGarbage(datasetId: string, request: GcRequest = {}): Promise<GcReport> {
    return this.#http.json('POST', path`/datasets/${datasetId}/gc`, { json: request });
  }

  /** The version's immutable Parquet snapshot. */
  getDatasetSnapshot(datasetId: string, version: string): Promise<Uint8Array> {
    return this.#http.bytes('GET', path`/datasets/${datasetId}/versions/${version}/snapshot`);
  }

  // --- experiments and tracking --------------------------------------------------------------------------------------

  createExperiment(project: string, body: CreateExperiment): Promise<Experiment> {
    return this.#http.json('POST', path`/projects/${project}/experiments`, { json: body });
  }

  listExperiments(project: string, q?: PageQuery & { stage?: LifecycleStage | 'all' }): Promise<Page<Experiment>> {
    return this.#http.json('GET', path`/projects/${project}/experiments`, { query: { ...q } });
  }

  getExperiment(experimentId: string): Promise<Experiment> {
    return this.#http.json('GET', path`/experiments/${experimentId}`);
  }

  updateExperiment(experimentId: string, change: UpdateExperiment): Promise<Experiment> {
    return this.#http.json('PATCH', path`/experiments/${experimentId}`, { json: change });
  }

  setExperimentTag(experimentId: string, key: string, value: string): Promise<Experiment> {
    return this.#http.json('PUT', path`/experiments/${experimentId}/tags/${key}`, { json: { value } });
  }

  async deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    await this.#http.json<undefined>('DELETE', path`/experiments/${experimentId}/tags/${key}`);
  }

  /** Starts a tracked run (status running) in the experiment. */
  startRun(experimentId: string, body: StartRun = {}): Promise<Run> {
    return this.#http.json('POST', path`/experiments/${experimentId}/runs`, { json: body });
  }

  /** Logs params, metrics and tags in one call, all or nothing. */
  async logRun(runId: string, batch: LogBatch): Promise<void> {
    await this.#http.json<undefined>('POST', path`/runs/${runId}/log`, { json: batch });
  }

  /** Renames, ends (`status`), deletes or restores a tracked run. */
  updateRun(runId: string, change: UpdateRun): Promise<Run> {
    return this.#http.json('PATCH', path`/runs/${runId}`, { json: change });
  }

  /** Records dataset versions the run read (latest unless `version` is given); lineage links them to the run. */
  async logRunInputs(
    runId: string,
    inputs: { dataset: string; version?: string; context?: string }[],
  ): Promise<RunInput[]> {
    return (await this.#http.json<{ items: RunInput[] }>('POST', path`/runs/${runId}/inputs`, { json: { inputs } }))
      .items;
  }

  async listRunInputs(runId: string): Promise<RunInput[]> {
    return (await this.#http.json<{ items: RunInput[] }>('GET', path`/runs/${runId}/inputs`)).items;
  }

  async deleteRunTag(runId: string, key: string): Promise<void> {
    await this.#http.json<undefined>('DELETE', path`/runs/${runId}/tags/${key}`);
  }

  /** One page of a metric's points, in logging order. */
  metricHistory(runId: string, key: string, q?: MetricHistoryQuery): Promise<Page<MetricPoint>> {
    return this.#http.json('GET', path`/runs/${runId}/metrics/${key}`, { query: { ...q } });
  }

  /** Runs side by side: params (and which differ), latest metrics, and the named metrics' curves. */
  compareRuns(project: string, body: { runs: string[]; curves?: string[]; points?: number }): Promise<RunComparison> {
    return this.#http.json('POST', path`/projects/${project}/runs/compare`, { json: body });
  }

  /** Runs of the project matching a filter, ordered; page with `cursor`. */
  searchRuns(project: string, query: RunSearchQuery = {}): Promise<Page<Run>> {
    return this.#http.json('POST', path`/projects/${project}/runs/search`, { json: query });
  }

  // --- studies -------------------------------------------------------------------------------------------------------

  /** Starts a hyperparameter search whose trials are child training runs. */
  createStudy(project: string, body: CreateStudy): Promise<Study> {
    return this.#http.json('POST', path`/projects/${project}/studies`, { json: body });
  }

  listStudies(project: string, q?: PageQuery): Promise<Page<Study>> {
    return this.#http.json('GET', path`/projects/${project}/studies`, { query: { ...q } });
  }

  getStudy(studyId: string): Promise<Study> {
    return this.#http.json('GET', path`/studies/${studyId}`);
  }

  async listTrials(studyId: string): Promise<StudyTrial[]> {
    return (await this.#http.json<{ items: StudyTrial[] }>('GET', path`/studies/${studyId}/trials`)).items;
  }

  /** Each hyperparameter's share of the objective's variation (422 not_enough_trials before two finish). */
  studyImportance(studyId: string): Promise<Record<string, number>> {
    return this.#http.json('GET', path`/studies/${studyId}/importance`);
  }

  stopStudy(studyId: string): Promise<Study> {
    return this.#http.json('POST', path`/studies/${studyId}/stop`);
  }

  // --- AutoML --------------------------------------------------------------------------------------------------------

  /** Starts an AutoML job; poll `getAutoml` until its status is no longer running. */
  startAutoml(project: string, body: CreateAutoml): Promise<AutomlJob> {
    return this.#http.json('POST', path`/projects/${project}/automl`, { json: body });
  }

  listAutoml(project: string, q?: PageQuery): Promise<Page<AutomlJob>> {
    return this.#http.json('GET', path`/projects/${project}/automl`, { query: { ...q } });
  }

  getAutoml(jobId: string): Promise<AutomlJob> {
    return this.#http.json('GET', path`/automl/${jobId}`);
  }

  async automlLeaderboard(jobId: string): Promise<AutomlLeaderboardRow[]> {
    return (await this.#http.json<{ items: AutomlLeaderboardRow[] }>('GET', path`/automl/${jobId}/leaderboard`)).items;
  }

  // --- runs ----------------------------------------------------------------------------------------------------------

  createRun(project: string, body: CreateRun): Promise<Run> {
    return this.#http.json('POST', path`/projects/${project}/runs`, { json: body });
  }

  listRuns(project: string, q?: PageQuery): Promise<Page<Run>> {
    return this.#http.json('GET', path`/projects/${project}/runs`, { query: { ...q } });
  }

  getRun(runId: string): Promise<Run> {
    return this.#http.json('GET', path`/runs/${runId}`);
  }

  /** The trained model artifact (self-describing JSON). */
  getRunArtifact<T = Record<string, unknown>>(runId: string): Promise<T> {
    return this.#http.json('GET', path`/runs/${runId}/artifact`);
  }

  /** The model file of a succeeded run as bytes: the artifact's JSON, or an imported ONNX file. */
  downloadModelFile(runId: string): Promise<Uint8Array> {
    return this.#http.bytes('GET', path`/runs/${runId}/artifact`);
  }

  /** Polls a run until it succeeded or failed and answers its final state; a failed run is an answer, not an error. */
  async waitForRun(runId: string, opts: WaitForRunOptions = {}): Promise<Run> {
    const intervalMs = opts.intervalMs ?? 1000;
    const deadline = opts.timeoutMs === undefined ? Infinity : Date.now() + opts.timeoutMs;
    for (;;) {
      const run = await this.getRun(runId);
      opts.onProgress?.(run);
      if (TERMINAL_RUN_STATUSES.includes(run.status)) return run;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new ApiError(
          0,
          'timeout',
          `Run ${runId} did not finish within ${opts.timeoutMs} ms (still ${run.status}).`,
        );
      }
      await sleep(Math.min(intervalMs, remaining));
    }
  }

  // --- registry ------------------------------------------------------------------------------------------------------

  createModel(project: string, body: { name: string; description?: string }): Promise<Model> {
    return this.#http.json('POST', path`/projects/${project}/models`, { json: body });
  }

  listModels(project: string, q?: PageQuery): Promise<Page<Model>> {
    return this.#http.json('GET', path`/projects/${project}/models`, { query: { ...q } });
  }

  getModel(modelId: string): Promise<Model> {
    return this.#http.json('GET', path`/models/${modelId}`);
  }

  registerModelVersion(modelId: string, runId: string): Promise<ModelVersion> {
    return this.#http.json('POST', path`/models/${modelId}/versions`, { json: { run: runId } });
  }

  getModelVersion(modelId: string, version: number): Promise<ModelVersion> {
    return this.#http.json('GET', path`/models/${modelId}/versions/${version}`);
  }

  /** Sets a version's description and tags (a null tag value removes the tag). */
  updateModelVersion(
    modelId: string,
    version: number,
    changes: { description?: string; tags?: Record<string, string | null> },
  ): Promise<ModelVersion> {
    return this.#http.json('PATCH', path`/models/${modelId}/versions/${version}`, { json: changes });
  }

  listModelVersions(modelId: string, q?: PageQuery): Promise<Page<ModelVersion>> {
    return this.#http.json('GET', path`/models/${modelId}/versions`, { query: { ...q } });
  }

  /**
   * Points the alias at a version. Refused with 409 `gates_failed` (details.failing) when the version fails a gate
   * guarding the alias; `force` (admins) moves it anyway, audited as forced.
   */
  setAlias(modelId: string, alias: string, version: number, options: { force?: boolean } = {}): Promise<Model> {
    return this.#http.json('PUT', path`/models/${modelId}/aliases/${alias}`, { json: { version, ...options } });
  }

  /** A version as deployable code or an ONNX file (`sql` takes a dialect and the table to score). */
  exportModel(
    modelId: string,
    version: number,
    q: { format: ExportFormat; dialect?: 'duckdb' | 'postgres'; table?: string },
  ): Promise<Uint8Array> {
    return this.#http.bytes('GET', path`/models/${modelId}/versions/${version}/export`, { query: { ...q } });
  }

  /** Registers an ONNX file (from any framework) as a new version of the model. */
  importOnnx(modelId: string, bytes: Uint8Array, q: { name?: string } = {}): Promise<ModelVersion> {
    return this.#http.json('POST', path`/models/${modelId}/versions/onnx`, {
      query: { ...q },
      bytes,
    });
  }

  listGates(modelId: string): Promise<{ items: Gate[] }> {
    return this.#http.json('GET', path`/models/${modelId}/gates`);
  }

  /** Admins: a gate guarding `aliases` (every alias when empty or left out). */
  createGate(modelId: string, rule: GateRule, aliases?: string[]): Promise<Gate> {
    return this.#http.json('POST', path`/models/${modelId}/gates`, { json: { rule, ...(aliases && { aliases }) } });
  }

  async deleteGate(modelId: string, gateId: string): Promise<void> {
    await this.#http.json<undefined>('DELETE', path`/models/${modelId}/gates/${gateId}`);
  }

  /** How a version stands against the gates guarding `alias` (every gate without one). */
  checkGates(modelId: string, version: number, alias?: string): Promise<GateCheck> {
    return this.#http.json('GET', path`/models/${modelId}/versions/${version}/gates`, {
      query: { ...(alias !== undefined && { alias }) },
    });
  }

  /** Approves or rejects a version (editors and admins); a new decision replaces the caller's earlier one. */
  reviewVersion(
    modelId: string,
    version: number,
    review: { decision: 'approve' | 'reject'; comment?: string },
  ): Promise<Review> {
    return this.#http.json('POST', path`/models/${modelId}/versions/${version}/reviews`, { json: review });
  }

  listReviews(modelId: string, version: number): Promise<{ items: Review[] }> {
    return this.#http.json('GET', path`/models/${modelId}/versions/${version}/reviews`);
  }

  /** Replaces the model's ground-truth probes (editors); `schedule` probes its endpoints every N minutes. */
  setProbes(modelId: string, set: ProbeSetInput): Promise<ProbeSet> {
    return this.#http.json('PUT', path`/models/${modelId}/probes`, { json: set });
  }

  getProbes(modelId: string): Promise<ProbeSet> {
    return this.#http.json('GET', path`/models/${modelId}/probes`);
  }

  /** Runs the model's probes on a version (loaded as endpoints load it); the run is stored. */
  runProbes(modelId: string, version: number): Promise<ProbeRun> {
    return this.#http.json('POST', path`/models/${modelId}/versions/${version}/probes/run`);
  }

  /** The model's newest probe runs (versions and endpoints), newest first. */
  listModelProbeRuns(modelId: string, q: { limit?: number } = {}): Promise<{ items: ProbeRun[] }> {
    return this.#http.json('GET', path`/models/${modelId}/probe-runs`, { query: { ...q } });
  }

  /** The version's model card, generated from what the platform holds plus the written fields. */
  getModelCard(modelId: string, version: number): Promise<ModelCard> {
    return this.#http.json('GET', path`/models/${modelId}/versions/${version}/model-card`);
  }

  /** The model card as Markdown or a standalone HTML page (every user string escaped). */
  async getModelCardText(modelId: string, version: number, format: 'md' | 'html'): Promise<string> {
    const bytes = await this.#http.bytes('GET', path`/models/${modelId}/versions/${version}/model-card`, {
      query: { format },
    });
    return new TextDecoder().decode(bytes);
  }

  /** Saves the card's written fields (editors): a field left out is kept, null clears it. */
  updateModelCard(
    modelId: string,
    version: number,
    fields: { [K in keyof ModelCardFields]?: ModelCardFields[K] | null },
  ): Promise<ModelCard> {
    return this.#http.json('PUT', path`/models/${modelId}/versions/${version}/model-card`, { json: fields });
  }

  deleteAlias(modelId: string, alias: string): Promise<Model> {
    return this.#http.json('DELETE', path`/models/${modelId}/aliases/${alias}`);
  }

  // --- serving -------------------------------------------------------------------------------------------------------

  /** `model` is `name@alias` or `name@version`. */
  createEndpoint(project: string, body: { name: string; model: string; maxConcurrency?: number }): Promise<Endpoint> {
    return this.#http.json('POST', path`/projects/${project}/endpoints`, { json: body });
  }

  /** Changes what an endpoint serves: its model, a canary or shadow (null removes it), its concurrency limit. */
  updateEndpoint(endpointId: string, changes: EndpointUpdate): Promise<Endpoint> {
    return this.#http.json('PATCH', path`/endpoints/${endpointId}`, { json: changes });
  }

  /** How the shadow's logged answers compare with what the endpoint returned (the newest `limit` mirrored requests). */
  shadowReport(endpointId: string, q: { limit?: number } = {}): Promise<ShadowReport> {
    return this.#http.json('GET', path`/endpoints/${endpointId}/shadow-report`, { query: { ...q } });
  }

  /** Probes the endpoint now (editors): the primary through its predict path, canary and shadow on their models. */
  probeEndpoint(endpointId: string): Promise<{ items: ProbeRun[] }> {
    return this.#http.json('POST', path`/endpoints/${endpointId}/probes/run`);
  }

  /** The endpoint's newest live probe runs, one per route probed, newest first. */
  listProbeRuns(endpointId: string, q: { limit?: number } = {}): Promise<{ items: ProbeRun[] }> {
    return this.#http.json('GET', path`/endpoints/${endpointId}/probe-runs`, { query: { ...q } });
  }

  listEndpoints(project: string, q?: PageQuery): Promise<Page<Endpoint>> {
    return this.#http.json('GET', path`/projects/${project}/endpoints`, { query: { ...q } });
  }

  getEndpoint(endpointId: string): Promise<Endpoint> {
    return this.#http.json('GET', path`/endpoints/${endpointId}`);
  }

  /**
   * Sends delayed labels for records the endpoint answered (up to 10,000 per call), by request id and record index;
   * the shadow report then compares the versions on them.
   */
  sendFeedback(endpointId: string, labels: Feedback[]): Promise<FeedbackReply> {
    return this.#http.json('POST', path`/endpoints/${endpointId}/feedback`, { json: { labels } });
  }

  /** The version's stored global explanation (404 `explanation_not_found` before one is computed). */
  versionExplanation(modelId: string, version: number): Promise<VersionExplanation> {
    return this.#http.json('GET', path`/models/${modelId}/versions/${version}/explanation`);
  }

  /**
   * Computes and stores the version's global explanation (editors) on its run's data, or on the dataset named: an
   * imported ONNX version needs one (`{ dataset, target }`).
   */
  explainVersion(modelId: string, version: number, data?: NewVersionExplanation): Promise<VersionExplanation> {
    const url = path`/models/${modelId}/versions/${version}/explanation`;
    return data === undefined ? this.#http.json('POST', url) : this.#http.json('POST', url, { json: data });
  }

  /** The version's stored fairness slices (404 `fairness_not_found` before they are computed). */
  versionFairness(modelId: string, version: number): Promise<VersionFairness> {
    return this.#http.json('GET', path`/models/${modelId}/versions/${version}/fairness`);
  }

  /** Computes and stores the version's fairness slices on its run's held-out rows (editors). */
  computeVersionFairness(modelId: string, version: number, body: NewVersionFairness): Promise<VersionFairness> {
    return this.#http.json('POST', path`/models/${modelId}/versions/${version}/fairness`, { json: body });
  }

  /** Fairness slices of the endpoint's labelled records in a window (default the last 24 h). */
  endpointFairness(endpointId: string, q: EndpointFairnessQuery): Promise<EndpointFairness> {
    return this.#http.json('GET', path`/endpoints/${endpointId}/fairness`, { query: { ...q } });
  }

  /** Compares a window of the endpoint's traffic with a reference now, stores and returns the report (editors). */
  runDrift(endpointId: string, run: NewDriftRun = {}): Promise<DriftReport> {
    return this.#http.json('POST', path`/endpoints/${endpointId}/drift`, { json: run });
  }

  /** Stored drift reports, newest first: the endpoint's drift over time. */
  driftReports(endpointId: string, q: { limit?: number; from?: string; to?: string } = {}): Promise<DriftReport[]> {
    return this.#http
      .json<{ reports: DriftReport[] }>('GET', path`/endpoints/${endpointId}/drift`, { query: { ...q } })
      .then((r) => r.reports);
  }

  /** Metrics from feedback labels per bucket of prediction time, and rolling over `window` when asked. */
  accuracy(endpointId: string, q: AccuracyQuery = {}): Promise<AccuracySeries> {
    return this.#http.json('GET', path`/endpoints/${endpointId}/accuracy`, { query: { ...q } });
  }

  createRetrainSchedule(modelId: string, schedule: NewRetrainSchedule): Promise<RetrainSchedule> {
    return this.#http.json('POST', path`/models/${modelId}/retrain-schedules`, { json: schedule });
  }

  listRetrainSchedules(modelId: string): Promise<RetrainSchedule[]> {
    return this.#http
      .json<{ schedules: RetrainSchedule[] }>('GET', path`/models/${modelId}/retrain-schedules`)
      .then((r) => r.schedules);
  }

  async deleteRetrainSchedule(scheduleId: string): Promise<void> {
    await this.#http.json<undefined>('DELETE', path`/retrain-schedules/${scheduleId}`);
  }

  /** What each tick of the schedule came to, newest first. */
  retrainScheduleRuns(scheduleId: string, q: { limit?: number } = {}): Promise<RetrainScheduleRun[]> {
    return this.#http
      .json<{ runs: RetrainScheduleRun[] }>('GET', path`/retrain-schedules/${scheduleId}/runs`, { query: { ...q } })
      .then((r) => r.runs);
  }

  driftMonitor(endpointId: string): Promise<DriftMonitor> {
    return this.#http.json('GET', path`/endpoints/${endpointId}/drift-monitor`);
  }

  /** Sets the endpoint's scheduled drift (editors); `schedule: null` keeps the settings without a schedule. */
  setDriftMonitor(endpointId: string, settings: DriftMonitorSettings): Promise<DriftMonitor> {
    return this.#http.json('PUT', path`/endpoints/${endpointId}/drift-monitor`, { json: settings });
  }

  async deleteDriftMonitor(endpointId: string): Promise<void> {
    await this.#http.json<undefined>('DELETE', path`/endpoints/${endpointId}/drift-monitor`);
  }

  predict(endpointId: string, records: FeatureRecord[]): Promise<PredictResponse> {
    return this.#http.json('POST', path`/endpoints/${endpointId}/predict`, { json: { records } });
  }

  /** Scores columns (one array per feature, equal lengths) instead of records. */
  predictColumns(
    endpointId: string,
    columns: Record<string, (FeatureRecord[string] | undefined)[]>,
  ): Promise<PredictResponse> {
    return this.#http.json('POST', path`/endpoints/${endpointId}/predict`, { json: { columns } });
  }

  listRequests(endpointId: string, q?: PageQuery): Promise<Page<InferenceRecord>> {
    return this.#http.json('GET', path`/endpoints/${endpointId}/requests`, { query: { ...q } });
  }

  // --- alerts --------------------------------------------------------------------------------------------------------

  /** A rule on one endpoint's metric (editors); its webhook secret is write-only. */
  createAlertRule(endpointId: string, rule: NewAlertRule): Promise<AlertRule> {
    return this.#http.json('POST', path`/endpoints/${endpointId}/alert-rules`, { json: rule });
  }

  listAlertRules(endpointId: string): Promise<{ items: AlertRule[] }> {
    return this.#http.json('GET', path`/endpoints/${endpointId}/alert-rules`);
  }

  getAlertRule(endpointId: string, ruleId: string): Promise<AlertRule> {
    return this.#http.json('GET', path`/endpoints/${endpointId}/alert-rules/${ruleId}`);
  }

  updateAlertRule(endpointId: string, ruleId: string, change: AlertRuleChange): Promise<AlertRule> {
    return this.#http.json('PATCH', path`/endpoints/${endpointId}/alert-rules/${ruleId}`, { json: change });
  }

  async deleteAlertRule(endpointId: string, ruleId: string): Promise<void> {
    await this.#http.json<undefined>('DELETE', path`/endpoints/${endpointId}/alert-rules/${ruleId}`);
  }

  /** The endpoint's alert history, newest first; `state` keeps only firing or resolved alerts. */
  listAlerts(endpointId: string, q: AlertQuery = {}): Promise<Page<Alert>> {
    return this.#http.json('GET', path`/endpoints/${endpointId}/alerts`, { query: { ...q } });
  }

  /** One alert with its webhook deliveries and their attempts. */
  getAlert(alertId: string): Promise<AlertWithDeliveries> {
    return this.#http.json('GET', path`/alerts/${alertId}`);
  }

  // --- batch scoring -------------------------------------------------------------------------------------------------

  createBatchJob(project: string, body: NewBatchJob): Promise<BatchJob> {
    return this.#http.json('POST', path`/projects/${project}/batch-jobs`, { json: body });
  }

  listBatchJobs(project: string, q?: PageQuery): Promise<Page<BatchJob>> {
    return this.#http.json('GET', path`/projects/${project}/batch-jobs`, { query: { ...q } });
  }

  getBatchJob(jobId: string): Promise<BatchJob> {
    return this.#http.json('GET', path`/batch-jobs/${jobId}`);
  }

  updateBatchJob(jobId: string, change: BatchJobChange): Promise<BatchJob> {
    return this.#http.json('PATCH', path`/batch-jobs/${jobId}`, { json: change });
  }

  async deleteBatchJob(jobId: string): Promise<void> {
    await this.#http.json<undefined>('DELETE', path`/batch-jobs/${jobId}`);
  }

  /** Starts a run now; poll `getBatchRun` until its status is `succeeded` or `failed`. */
  runBatchJob(jobId: string): Promise<BatchRun> {
    return this.#http.json('POST', path`/batch-jobs/${jobId}/run`);
  }

  listBatchRuns(jobId: string, q?: PageQuery): Promise<Page<BatchRun>> {
    return this.#http.json('GET', path`/batch-jobs/${jobId}/runs`, { query: { ...q } });
  }

  getBatchRun(runId: string): Promise<BatchRun> {
    return this.#http.json('GET', path`/batch-runs/${runId}`);
  }

  // --- lineage -------------------------------------------------------------------------------------------------------

  /**
   * The graph around one object: `lineage('endpoint', id, { direction: 'up' })` reaches the data it was trained on.
   * Ids of dataset versions are `<datasetId>@<version>`, of model versions `<modelId>@<version>`.
   */
  lineage(kind: LineageKind, id: string, q: LineageQuery): Promise<LineageGraph> {
    return this.#http.json('GET', path`/lineage/${kind}/${id}`, { query: { ...q } });
  }

  // --- audit ---------------------------------------------------------------------------------------------------------

  listAudit(q?: AuditQuery): Promise<Page<AuditEvent>> {
    return this.#http.json('GET', '/audit', { query: { ...q } });
  }

  // --- search --------------------------------------------------------------------------------------------------------

  /** Ranked hits in the projects the caller may view: `search({ q: 'income', kinds: ['column'] })`. */
  search(query: SearchQuery): Promise<Page<SearchHit>> {
    const { kinds, ...rest } = query;
    return this.#http.json('GET', '/search', { query: { ...rest, kinds: kinds?.join(',') } });
  }

  // --- run artifacts and command runs ----------------------------------------------------------------------------------

  /** Stores `data` as the run's file at `artifactPath` (folders are made as needed); streams go out as they come. */
  async uploadArtifact(
    runId: string,
    artifactPath: string,
    data: Uint8Array | Blob | ReadableStream<Uint8Array>,
  ): Promise<UploadedArtifact> {
    const url = this.#http.url(`${path`/runs/${runId}/artifacts`}/${artifactPathOf(artifactPath)}`);
    const headers: Record<string, string> = {
      accept: 'application/json',
      'content-type': 'application/octet-stream',
    };
    if (this.#opts.token) headers.authorization = `Bearer ${this.#opts.token}`;
    // Node's fetch sends a stream body only when told it may start answering before the upload ends.
    const init = { method: 'PUT', headers, body: data as BodyInit, duplex: 'half' } as RequestInit;
    const send = this.#opts.fetch ?? ((input, options) => globalThis.fetch(input, options));
    let response: Response;
    try {
      response = await send(url, init);
    } catch (err) {
      throw new ApiError(0, 'network_error', `Cannot reach the Modelyard server (PUT ${url}): ${String(err)}`);
    }
    const text = await response.text();
    if (!response.ok) throw ApiError.fromResponse(response.status, response.statusText, text, `PUT ${url}`);
    return JSON.parse(text) as UploadedArtifact;
  }

  /** The bytes of one file of the run. */
  downloadArtifact(runId: string, artifactPath: string): Promise<Uint8Array> {
    return this.#http.bytes('GET', `${path`/runs/${runId}/artifacts`}/${artifactPathOf(artifactPath)}`);
  }

  /** One level of the run's artifact folder (the root when `artifactPath` is left out). */
  listArtifacts(runId: string, artifactPath?: string): Promise<RunArtifactList> {
    return this.#http.json('GET', path`/runs/${runId}/artifacts`, { query: { path: artifactPath } });
  }

  /** Deletes a file, or a folder with everything in it. */
  async deleteArtifact(runId: string, artifactPath: string): Promise<void> {
    await this.#http.json<undefined>('DELETE', `${path`/runs/${runId}/artifacts`}/${artifactPathOf(artifactPath)}`);
  }

  /** Runs a program (no shell) as a job of a new run in the experiment; the run starts queued (editors). */
  startCommandRun(experimentId: string, body: StartCommandRun): Promise<Run> {
    return this.#http.json('POST', path`/experiments/${experimentId}/runs/command`, { json: body });
  }

  /** Stops a queued or running command run; answers it, killed. */
  killRun(runId: string): Promise<Run> {
    return this.#http.json('POST', path`/runs/${runId}/kill`);
  }

  /** A run's stdout or stderr from byte `offset`; read on from `nextOffset` while `running` to follow it. */
  runLogs(runId: string, q: RunLogsQuery = {}): Promise<RunLogs> {
    return this.#http.json('GET', path`/runs/${runId}/logs`, { query: { ...q } });
  }

  // --- helpers -------------------------------------------------------------------------------------------------------

  /** Iterates every item of a paginated list: `client.paginate((p) => client.listRuns('demo', p))`. */
  paginate<T>(fetchPage: PageFetcher<T>): AsyncGenerator<T, void, undefined> {
    return paginate(fetchPage);
  }
}

/**
 * An artifact path as one URL segment: its slashes encoded too, so a URL parser never resolves a `..` in it (the
 * server decodes it and refuses `..`). A path of only dots would still be resolved away, so it is refused here.
 */
function artifactPathOf(artifactPath: string): string {
  if (/^\.{1,2}\/?$/.test(artifactPath)) {
    throw new ApiError(400, 'invalid_artifact_path', `Invalid path '${artifactPath}': it must name a file.`);
  }
  return encodeURIComponent(artifactPath);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
