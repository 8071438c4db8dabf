// Response schemas of the API, for the OpenAPI document; compile-time checks keep them equal to the client's types.

import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type * as Wire from '@modelyard/client';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Timestamp = Type.String({ format: 'date-time' });
const Role = Type.Union([Type.Literal('viewer'), Type.Literal('editor'), Type.Literal('admin')]);
const Task = Type.Union([Type.Literal('classification'), Type.Literal('regression')]);
const RunStatus = Type.Union([
  Type.Literal('queued'),
  Type.Literal('running'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
  Type.Literal('killed'),
]);
const Scalar = Type.Union([Type.Number(), Type.String(), Type.Boolean()]);
const MetricValue = Type.Union([
  Type.Number(),
  Type.Literal('NaN'),
  Type.Literal('Infinity'),
  Type.Literal('-Infinity'),
]);
const Metrics = Type.Record(Type.String(), MetricValue);
const Stage = Type.Union([Type.Literal('active'), Type.Literal('deleted')]);
const StringMap = Type.Record(Type.String(), Type.String());

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  }),
});

export const User = Type.Object({
  id: Type.String(),
  name: Type.String(),
  isAdmin: Type.Boolean(),
  createdAt: Timestamp,
});
export const Me = Type.Object({ user: User, roles: Type.Record(Type.String(), Role) });
export const CreatedToken = Type.Object({
  id: Type.String(),
  name: Type.String(),
  token: Type.String(),
  createdAt: Timestamp,
});
export const Project = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  createdAt: Timestamp,
  role: Role,
});
export const Member = Type.Object({ userId: Type.String(), userName: Type.String(), role: Role });

const SemanticType = Type.Union([
  Type.Literal('id'),
  Type.Literal('categorical'),
  Type.Literal('numeric'),
  Type.Literal('datetime'),
  Type.Literal('text'),
  Type.Literal('boolean'),
]);
const ColumnProfile = Type.Object({
  name: Type.String(),
  dbType: Type.String(),
  type: Type.Union([
    Type.Literal('integer'),
    Type.Literal('float'),
    Type.Literal('string'),
    Type.Literal('boolean'),
    Type.Literal('date'),
    Type.Literal('timestamp'),
    Type.Literal('other'),
  ]),
  semanticType: Type.Optional(SemanticType),
  nulls: Type.Number(),
  distinct: Type.Number(),
  min: Type.Optional(Nullable(Type.Union([Type.Number(), Type.String()]))),
  max: Type.Optional(Nullable(Type.Union([Type.Number(), Type.String()]))),
  mean: Type.Optional(Nullable(Type.Number())),
  std: Type.Optional(Nullable(Type.Number())),
  quantiles: Type.Optional(Type.Array(Type.Object({ p: Type.Number(), value: Nullable(Type.Number()) }))),
  histogram: Type.Optional(Type.Object({ edges: Type.Array(Type.Number()), counts: Type.Array(Type.Number()) })),
  topValues: Type.Optional(Type.Array(Type.Object({ value: Type.String(), count: Type.Number() }))),
});
const DatasetProfile = Type.Object({
  rows: Type.Number(),
  columns: Type.Array(ColumnProfile),
  summary: Type.Optional(
    Type.Object({
      columns: Type.Number(),
      missingCells: Type.Number(),
      semanticTypes: Type.Partial(Type.Record(SemanticType, Type.Number())),
      skippedRows: Type.Optional(Type.Number()),
      skippedLines: Type.Optional(Type.Array(Type.Number())),
    }),
  ),
});
export const DatasetVersion = Type.Object({
  version: Type.String(),
  datasetId: Type.String(),
  rows: Type.Number(),
  bytes: Type.Number(),
  source: Type.String(),
  createdAt: Timestamp,
  createdBy: Type.String(),
  profile: DatasetProfile,
  pinned: Type.Boolean(),
  tags: Type.Record(Type.String(), Type.String()),
});
export const RetentionPolicy = Type.Object(
  {
    keepLast: Nullable(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    maxAgeDays: Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 100_000 })),
  },
  { additionalProperties: false },
);
export const Dataset = Type.Object({
  id: Type.String(),
  projectId: Type.String(),
  name: Type.String(),
  description: Type.String(),
  createdAt: Timestamp,
  latestVersion: Nullable(DatasetVersion),
  tags: Type.Record(Type.String(), Type.String()),
  retention: Nullable(RetentionPolicy),
});
const KeepReason = Type.Union(
  (['latest', 'pinned', 'keep_last', 'max_age', 'used_by_run', 'parent_of_derived'] as const).map((r) =>
    Type.Literal(r),
  ),
);
const GcVersion = Type.Object({
  version: Type.String(),
  seq: Type.Integer(),
  bytes: Type.Number(),
  createdAt: Timestamp,
  reasons: Type.Array(KeepReason),
});
export const GcReport = Type.Object({
  dryRun: Type.Boolean(),
  policy: RetentionPolicy,
  deleted: Type.Array(GcVersion),
  kept: Type.Array(GcVersion),
  deletedBytes: Type.Number(),
});
const RunEnvironment = Type.Object({
  node: Type.String(),
  os: Type.String(),
  arch: Type.String(),
  cpu: Type.String(),
  cpus: Type.Number(),
  memoryBytes: Type.Number(),
  lockfileHash: Nullable(Type.String()),
  gitCommit: Nullable(Type.String()),
  modelyardVersion: Type.String(),
});
export const Run = Type.Object({
  id: Type.String(),
  projectId: Type.String(),
  experimentId: Type.String(),
  parentRunId: Nullable(Type.String()),
  name: Type.String(),
  kind: Type.Union([Type.Literal('training'), Type.Literal('tracked'), Type.Literal('command')]),
  status: RunStatus,
  lifecycleStage: Stage,
  task: Nullable(Task),
  algorithm: Nullable(Type.String()),
  target: Nullable(Type.String()),
  datasetId: Nullable(Type.String()),
  datasetVersion: Nullable(Type.String()),
  params: Type.Record(Type.String(), Scalar),
  metrics: Metrics,
  tags: StringMap,
  progress: Type.Number(),
  error: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
  environment: Nullable(RunEnvironment),
  createdAt: Timestamp,
  startedAt: Nullable(Timestamp),
  finishedAt: Nullable(Timestamp),
  durationMs: Nullable(Type.Number()),
  createdBy: Type.String(),
});
export const Experiment = Type.Object({
  id: Type.String(),
  projectId: Type.String(),
  name: Type.String(),
  description: Type.String(),
  lifecycleStage: Stage,
  tags: StringMap,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  createdBy: Type.String(),
});
export const MetricPoint = Type.Object({
  key: Type.String(),
  value: MetricValue,
  timestamp: Type.Number(),
  step: Type.Number(),
});
const SpaceCondition = Type.Object({ param: Type.String(), in: Type.Array(Scalar) });
const GridPoints = Type.Union([Type.Number(), Type.Array(Type.Number())]);
const SpaceDimension = Type.Union([
  Type.Object({
    kind: Type.Union([Type.Literal('uniform'), Type.Literal('loguniform')]),
    low: Type.Number(),
    high: Type.Number(),
    when: Type.Optional(SpaceCondition),
    gridPoints: Type.Optional(GridPoints),
  }),
  Type.Object({
    kind: Type.Literal('int'),
    low: Type.Number(),
    high: Type.Number(),
    log: Type.Optional(Type.Boolean()),
    step: Type.Optional(Type.Number()),
    when: Type.Optional(SpaceCondition),
    gridPoints: Type.Optional(GridPoints),
  }),
  Type.Object({ kind: Type.Literal('categorical'), choices: Type.Array(Scalar), when: Type.Optional(SpaceCondition) }),
]);
export const StudyPruner = Type.Union([
  Type.Object({ kind: Type.Literal('none') }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('median'),
      nStartupTrials: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
      nWarmupSteps: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
      intervalSteps: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('successiveHalving'),
      minResource: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
      reductionFactor: Type.Optional(Type.Integer({ minimum: 2, maximum: 100 })),
      minEarlyStoppingRate: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    },
    { additionalProperties: false },
  ),
]);
export const Study = Type.Object({
  id: Type.String(),
  projectId: Type.String(),
  experimentId: Type.String(),
  runId: Type.String(),
  name: Type.String(),
  datasetId: Type.String(),
  datasetVersion: Type.String(),
  target: Type.String(),
  task: Task,
  algorithm: Type.Union([Type.Literal('glm'), Type.Literal('gbdt'), Type.Literal('forest')]),
  space: Type.Record(Type.String(), SpaceDimension),
  params: Type.Record(Type.String(), Scalar),
  sampler: Type.Object({
    kind: Type.Union([Type.Literal('grid'), Type.Literal('random'), Type.Literal('tpe')]),
    seed: Type.Number(),
  }),
  pruner: StudyPruner,
  metric: Type.String(),
  direction: Type.Union([Type.Literal('minimize'), Type.Literal('maximize')]),
  parallelism: Type.Integer(),
  maxTrials: Type.Integer(),
  timeBudgetSeconds: Nullable(Type.Number()),
  status: Type.Union([Type.Literal('running'), Type.Literal('finished'), Type.Literal('stopped')]),
  trials: Type.Object({
    total: Type.Integer(),
    complete: Type.Integer(),
    running: Type.Integer(),
    failed: Type.Integer(),
    pruned: Type.Integer(),
  }),
  bestRunId: Nullable(Type.String()),
  bestValue: Nullable(Type.Number()),
  createdAt: Timestamp,
  finishedAt: Nullable(Timestamp),
  createdBy: Type.String(),
});
export const StudyTrial = Type.Object({
  number: Type.Integer(),
  runId: Type.String(),
  status: RunStatus,
  params: Type.Record(Type.String(), Scalar),
  value: Nullable(Type.Number()),
});
export const AutomlJob = Type.Object({
  id: Type.String(),
  projectId: Type.String(),
  experimentId: Type.String(),
  runId: Type.String(),
  name: Type.String(),
  datasetId: Type.String(),
  datasetVersion: Type.String(),
  target: Type.String(),
  task: Task,
  metric: Type.String(),
  direction: Type.Union([Type.Literal('minimize'), Type.Literal('maximize')]),
  timeBudgetSeconds: Type.Number(),
  folds: Type.Integer(),
  seed: Type.Integer(),
  register: Nullable(Type.Object({ model: Type.String(), alias: Nullable(Type.String()) })),
  status: Type.Union([Type.Literal('running'), Type.Literal('finished'), Type.Literal('failed')]),
  stage: Type.Union([
    Type.Literal('baselines'),
    Type.Literal('search'),
    Type.Literal('refit'),
    Type.Literal('forests'),
    Type.Literal('ensemble'),
    Type.Literal('done'),
  ]),
  studyId: Nullable(Type.String()),
  leaderRunId: Nullable(Type.String()),
  modelVersion: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  createdAt: Timestamp,
  finishedAt: Nullable(Timestamp),
  createdBy: Type.String(),
});
export const AutomlLeaderboardRow = Type.Object({
  rank: Type.Integer(),
  runId: Type.String(),
  name: Type.String(),
  model: Type.String(),
  status: RunStatus,
  metric: Nullable(Type.Number()),
  std: Nullable(Type.Number()),
  trainingMs: Nullable(Type.Number()),
  scoringMsPer1k: Nullable(Type.Number()),
});
export const RunInput = Type.Object({
  datasetId: Type.String(),
  datasetName: Type.String(),
  version: Type.String(),
  context: Type.String(),
});
export const RunComparison = Type.Object({
  runs: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      status: RunStatus,
      experimentId: Type.String(),
    }),
  ),
  params: Type.Array(
    Type.Object({ key: Type.String(), values: Type.Record(Type.String(), Nullable(Scalar)), differs: Type.Boolean() }),
  ),
  metrics: Type.Array(
    Type.Object({
      key: Type.String(),
      values: Type.Record(Type.String(), Nullable(MetricValue)),
      differs: Type.Boolean(),
    }),
  ),
  curves: Type.Array(
    Type.Object({
      key: Type.String(),
      runs: Type.Array(
        Type.Object({
          runId: Type.String(),
          total: Type.Integer(),
          points: Type.Array(Type.Object({ step: Type.Number(), value: MetricValue })),
        }),
      ),
    }),
  ),
});
export const Model = Type.Object({
  id: Type.String(),
  projectId: Type.String(),
  name: Type.String(),
  description: Type.String(),
  createdAt: Timestamp,
  aliases: Type.Record(Type.String(), Type.Integer()),
  latestVersion: Nullable(Type.Integer()),
});
export const ModelVersion = Type.Object({
  modelId: Type.String(),
  version: Type.Integer(),
  runId: Type.String(),
  source: Type.Union([Type.Literal('run'), Type.Literal('onnx')]),
  description: Type.String(),
  tags: Type.Record(Type.String(), Type.String()),
  task: Nullable(Task),
  metrics: Metrics,
  createdAt: Timestamp,
  createdBy: Type.String(),
});
export const GateRule = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('metric'),
      metric: Type.String({ minLength: 1, maxLength: 250 }),
      op: Type.Union([Type.Literal('>='), Type.Literal('<=')]),
      threshold: Type.Number(),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('approvals'), count: Type.Integer({ minimum: 1, maximum: 20 }), role: Role },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('explanation') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('model_card') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('probes') }, { additionalProperties: false }),
]);
export const Gate = Type.Object({
  id: Type.String(),
  modelId: Type.String(),
  rule: GateRule,
  aliases: Type.Array(Type.String()),
  createdAt: Timestamp,
  createdBy: Type.String(),
});
export const GateResult = Type.Object({ gate: Gate, passed: Type.Boolean(), reason: Type.String() });
export const GateCheck = Type.Object({
  modelId: Type.String(),
  version: Type.Integer(),
  alias: Nullable(Type.String()),
  passed: Type.Boolean(),
  results: Type.Array(GateResult),
});
export const Review = Type.Object({
  modelId: Type.String(),
  version: Type.Integer(),
  user: Type.String(),
  decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
  role: Role,
  comment: Type.String(),
  createdAt: Timestamp,
});
export const EndpointRoute = Type.Object({
  model: Type.String(),
  share: Type.Number(),
  modelVersion: Nullable(Type.Integer()),
});
export const Endpoint = Type.Object({
  id: Type.String(),
  projectId: Type.String(),
  name: Type.String(),
  model: Type.String(),
  modelVersion: Type.Integer(),
  canary: Nullable(EndpointRoute),
  shadow: Nullable(EndpointRoute),
  maxConcurrency: Type.Integer(),
  loadError: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Nullable(Timestamp),
});
export const Connection = Type.Object({
  id: Type.String(),
  projectId: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('postgres'), Type.Literal('mysql'), Type.Literal('trino')]),
  host: Type.String(),
  port: Type.Integer(),
  database: Type.String(),
  user: Type.String(),
  ssl: Type.Boolean(),
  createdAt: Timestamp,
  createdBy: Type.String(),
});
export const SqlResult = Type.Object({
  columns: Type.Array(Type.Object({ name: Type.String(), type: Type.String() })),
  rows: Type.Array(Type.Array(Type.Unknown())),
  nextCursor: Nullable(Type.String()),
  elapsedMs: Type.Number(),
});
export const ConnectionCheck = Type.Object({ ok: Type.Literal(true), latencyMs: Type.Number() });
const FeatureRecord = Type.Record(Type.String(), Nullable(Scalar));
const Prediction = Type.Union([
  Type.Object({ label: Type.String(), probabilities: Type.Record(Type.String(), Type.Number()) }),
  Type.Object({ value: Type.Number() }),
]);
const Route = Type.Union([Type.Literal('primary'), Type.Literal('canary')]);
export const PredictWarning = Type.Object({
  row: Type.Integer(),
  field: Type.String(),
  problem: Type.Union([
    Type.Literal('unseen_category'),
    Type.Literal('out_of_range'),
    Type.Literal('unexpected_missing'),
  ]),
  value: Type.Union([Type.String(), Type.Number(), Type.Null()]),
});
export const PredictResponse = Type.Object({
  predictions: Type.Array(Prediction),
  model: Type.String(),
  modelVersion: Type.Integer(),
  route: Route,
  requestId: Type.String(),
  latencyMs: Type.Number(),
  warnings: Type.Optional(Type.Array(PredictWarning)),
  explanations: Type.Optional(
    Type.Array(
      Type.Object({
        space: Type.Union([Type.Literal('margin'), Type.Literal('mean')]),
        outputs: Type.Array(Type.String()),
        expected: Type.Array(Type.Number()),
        contributions: Type.Record(Type.String(), Type.Array(Type.Number())),
      }),
    ),
  ),
});
const LatencySummary = Type.Object({ p50: Nullable(Type.Number()), p99: Nullable(Type.Number()) });
export const ShadowReport = Type.Object({
  endpointId: Type.String(),
  shadow: Nullable(Type.String()),
  mirrored: Type.Integer(),
  records: Type.Integer(),
  errors: Type.Integer(),
  labelAgreement: Nullable(Type.Number()),
  meanAbsDiff: Nullable(Type.Number()),
  maxAbsDiff: Nullable(Type.Number()),
  latencyMs: Type.Object({ primary: LatencySummary, shadow: LatencySummary }),
  from: Nullable(Timestamp),
  to: Nullable(Timestamp),
  metrics: Nullable(
    Type.Object({
      labelled: Type.Integer(),
      primary: Type.Record(Type.String(), Type.Number()),
      shadow: Type.Record(Type.String(), Type.Number()),
      delta: Type.Record(Type.String(), Type.Number()),
    }),
  ),
});
export const FeedbackReply = Type.Object({
  accepted: Type.Integer(),
  unknown: Type.Array(Type.Object({ requestId: Type.String(), index: Type.Integer() })),
  invalid: Type.Array(
    Type.Object({
      position: Type.Integer(),
      code: Type.Union([Type.Literal('label_not_a_class'), Type.Literal('label_not_a_number')]),
      message: Type.String(),
    }),
  ),
});
export const InferenceRecord = Type.Object({
  id: Type.String(),
  endpointId: Type.String(),
  modelVersion: Type.Integer(),
  route: Route,
  model: Nullable(Type.String()),
  inputs: Type.Array(FeatureRecord),
  outputs: Type.Array(Prediction),
  latencyMs: Type.Number(),
  createdAt: Timestamp,
});
export const AuditEvent = Type.Object({
  id: Type.Integer(),
  actor: Type.String(),
  action: Type.String(),
  objectType: Type.String(),
  objectId: Type.String(),
  projectId: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
  at: Timestamp,
});

const LineageKind = Type.Union([
  Type.Literal('dataset'),
  Type.Literal('dataset_version'),
  Type.Literal('run'),
  Type.Literal('model_version'),
  Type.Literal('endpoint'),
]);
const NodeRef = Type.Object({ kind: LineageKind, id: Type.String() });
export const LineageGraph = Type.Object({
  root: NodeRef,
  nodes: Type.Array(
    Type.Object({ kind: LineageKind, id: Type.String(), name: Type.String(), projectId: Type.String() }),
  ),
  edges: Type.Array(Type.Object({ from: NodeRef, to: NodeRef })),
  truncated: Type.Boolean(),
});

const SearchKind = Type.Union([
  Type.Literal('dataset'),
  Type.Literal('column'),
  Type.Literal('run'),
  Type.Literal('model'),
  Type.Literal('endpoint'),
]);
export const SearchHit = Type.Object({
  kind: SearchKind,
  id: Type.String(),
  name: Type.String(),
  projectId: Type.String(),
  projectName: Type.String(),
  match: Type.Union([
    Type.Literal('name'),
    Type.Literal('prefix'),
    Type.Literal('contains'),
    Type.Literal('description'),
    Type.Literal('column'),
    Type.Literal('tag'),
  ]),
  snippet: Type.Optional(Type.String()),
  datasetName: Type.Optional(Type.String()),
});

/** Files streamed as bytes (Parquet snapshots). */
export const Binary = Type.String({ format: 'binary', description: 'raw bytes' });
/** The model artifact: a self-describing JSON document (see packages/engine/README.md). */
export const ModelArtifact = Type.Object(
  { format: Type.Literal('modelyard-model'), formatVersion: Type.Integer() },
  { additionalProperties: true },
);

export const PageOf = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });

/** Error answers every authenticated route may give. */
const ERRORS = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };

/** A route's `response` map: its success schema plus the shared error body. */
export function replies(status: 200 | 201 | 204, schema?: TSchema): Record<number, TSchema> {
  return { ...ERRORS, [status]: schema ?? Type.Null() };
}

// The schemas must describe exactly the client's types: these fail to compile when the two drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <T extends true>(): T => true as T;
same<Same<Static<typeof Project>, Wire.Project>>();
same<Same<Static<typeof Dataset>['latestVersion'], Wire.Dataset['latestVersion']>>();
same<Same<Static<typeof Run>, Wire.Run>>();
same<Same<Static<typeof Experiment>, Wire.Experiment>>();
same<Same<Static<typeof Study>, Wire.Study>>();
same<Same<Static<typeof RunComparison>, Wire.RunComparison>>();
same<Same<Static<typeof RunInput>, Wire.RunInput>>();
same<Same<Static<typeof AutomlJob>, Wire.AutomlJob>>();
same<Same<Static<typeof AutomlLeaderboardRow>, Wire.AutomlLeaderboardRow>>();
same<Same<Static<typeof StudyTrial>, Wire.StudyTrial>>();
same<Same<Static<typeof MetricPoint>, Wire.MetricPoint>>();
same<Same<Static<typeof Model>, Wire.Model>>();
same<Same<Static<typeof ModelVersion>, Wire.ModelVersion>>();
same<Same<Static<typeof Endpoint>, Wire.Endpoint>>();
same<Same<Static<typeof Connection>, Wire.Connection>>();
same<Same<Static<typeof ConnectionCheck>, Wire.ConnectionCheck>>();
same<Same<Static<typeof SqlResult>, Wire.SqlResult>>();
same<Same<Static<typeof PredictResponse>, Wire.PredictResponse>>();
same<Same<Static<typeof ShadowReport>, Wire.ShadowReport>>();
same<Same<Static<typeof FeedbackReply>, Wire.FeedbackReply>>();
same<Same<Static<typeof GateCheck>, Wire.GateCheck>>();
same<Same<Static<typeof Review>, Wire.Review>>();
same<Same<Static<typeof AuditEvent>, Wire.AuditEvent>>();
same<Same<Static<typeof Me>, Wire.Me>>();
same<Same<Static<typeof LineageGraph>, Wire.LineageGraph>>();
same<Same<Static<typeof SearchHit>, Wire.SearchHit>>();
same<Same<Static<typeof Dataset>['retention'], Wire.Dataset['retention']>>();
same<Same<Static<typeof GcReport>, Wire.GcReport>>();

// Run artifacts and command runs.
export const ArtifactList = Type.Object({
  items: Type.Array(Type.Object({ path: Type.String(), isDir: Type.Boolean(), bytes: Nullable(Type.Integer()) })),
});
export const UploadedArtifact = Type.Object({ path: Type.String(), bytes: Type.Integer() });
export const RunLogs = Type.Object({
  stream: Type.Union([Type.Literal('stdout'), Type.Literal('stderr')]),
  offset: Type.Integer(),
  nextOffset: Type.Integer(),
  size: Type.Integer(),
  text: Type.String(),
  running: Type.Boolean(),
});
same<Same<Static<typeof ArtifactList>, Wire.RunArtifactList>>();
same<Same<Static<typeof UploadedArtifact>, Wire.UploadedArtifact>>();
same<Same<Static<typeof RunLogs>, Wire.RunLogs>>();

// Batch scoring.
export const BatchSource = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('dataset'),
      dataset: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$' }),
      version: Nullable(Type.String({ pattern: '^[0-9a-f]{4,64}$' })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('connection'),
      connection: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$' }),
      sql: Type.String({ minLength: 1, maxLength: 100_000 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('datasets_sql'), sql: Type.String({ minLength: 1, maxLength: 100_000 }) },
    { additionalProperties: false },
  ),
]);
export const BatchOutputColumns = Type.Object({
  prediction: Type.String(),
  probability: Type.String(),
  probabilityPrefix: Type.String(),
  label: Type.String(),
});
export const BatchOutputTable = Type.Object(
  {
    connection: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$' }),
    table: Type.String({ minLength: 1, maxLength: 200, description: 'name or schema.name' }),
    mode: Type.Union([Type.Literal('replace'), Type.Literal('append')]),
  },
  { additionalProperties: false },
);
export const BatchJob = Type.Object({
  id: Type.String(),
  projectId: Type.String(),
  name: Type.String(),
  model: Type.String(),
  source: BatchSource,
  outputDataset: Type.String(),
  partitions: Type.Integer(),
  schedule: Nullable(Type.String()),
  keepColumns: Nullable(Type.Array(Type.String())),
  outputColumns: BatchOutputColumns,
  outputTable: Nullable(BatchOutputTable),
  nextRunAt: Nullable(Timestamp),
  createdAt: Timestamp,
  createdBy: Type.String(),
});
export const BatchRun = Type.Object({
  id: Type.String(),
  jobId: Type.String(),
  projectId: Type.String(),
  trigger: Type.Union([Type.Literal('manual'), Type.Literal('schedule')]),
  status: Type.Union([
    Type.Literal('queued'),
    Type.Literal('running'),
    Type.Literal('succeeded'),
    Type.Literal('failed'),
    Type.Literal('skipped'),
  ]),
  modelRef: Type.String(),
  modelVersion: Nullable(Type.Integer()),
  inputDatasetId: Nullable(Type.String()),
  inputVersion: Nullable(Type.String()),
  partitionsTotal: Type.Integer(),
  partitionsDone: Type.Integer(),
  rowsTotal: Nullable(Type.Integer()),
  rowsDone: Type.Integer(),
  outputDatasetId: Nullable(Type.String()),
  outputVersion: Nullable(Type.String()),
  outputTable: Nullable(Type.Object({ connection: Type.String(), table: Type.String(), rows: Type.Integer() })),
  error: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
  createdAt: Timestamp,
  startedAt: Nullable(Timestamp),
  finishedAt: Nullable(Timestamp),
  createdBy: Type.String(),
});
same<Same<Static<typeof BatchSource>, Wire.BatchSource>>();
same<Same<Static<typeof BatchOutputTable>, Wire.BatchOutputTable>>();
same<Same<Static<typeof BatchJob>, Wire.BatchJob>>();
same<Same<Static<typeof BatchRun>, Wire.BatchRun>>();

// Ground-truth probes and model cards (monitoring/probe-*.ts, monitoring/model-card*.ts).
const Bound = Type.Number();
export const ProbeExpectation = Type.Object(
  {
    label: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    value: Type.Optional(Type.Number()),
    tolerance: Type.Optional(Type.Number({ minimum: 0 })),
    min: Type.Optional(Bound),
    max: Type.Optional(Bound),
    probability: Type.Optional(
      Type.Object(
        { class: Type.String({ minLength: 1, maxLength: 500 }), min: Type.Optional(Bound), max: Type.Optional(Bound) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export const Probe = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    record: Type.Record(Type.String(), Nullable(Scalar), { maxProperties: 10_000 }),
    expect: ProbeExpectation,
  },
  { additionalProperties: false },
);
export const ProbeSchedule = Type.Object(
  { everyMinutes: Type.Integer({ minimum: 1, maximum: 10_080 }) },
  { additionalProperties: false },
);
export const ProbeSet = Type.Object({
  modelId: Type.String(),
  probes: Type.Array(Probe),
  schedule: Nullable(ProbeSchedule),
  updatedAt: Timestamp,
  updatedBy: Type.String(),
});
export const ProbeResult = Type.Object({
  name: Type.String(),
  passed: Type.Boolean(),
  actual: Nullable(Prediction),
  reason: Type.String(),
});
export const ProbeRun = Type.Object({
  id: Type.String(),
  modelId: Type.String(),
  version: Type.Integer(),
  endpointId: Nullable(Type.String()),
  route: Nullable(Type.Union([Type.Literal('primary'), Type.Literal('canary'), Type.Literal('shadow')])),
  trigger: Type.Union([Type.Literal('manual'), Type.Literal('gate'), Type.Literal('schedule')]),
  passed: Type.Boolean(),
  failed: Type.Integer(),
  results: Type.Array(ProbeResult),
  createdAt: Timestamp,
  createdBy: Type.String(),
});
export const ModelCardEdits = Type.Object({
  intendedUse: Type.Optional(Type.String()),
  limitations: Type.Optional(Type.String()),
  ethicalConsiderations: Type.Optional(Type.String()),
  caveats: Type.Optional(Type.String()),
  owners: Type.Optional(Type.Array(Type.String())),
  notes: Type.Optional(Type.String()),
  updatedAt: Nullable(Timestamp),
  updatedBy: Nullable(Type.String()),
});
const DatasetRef = Type.Object({ datasetId: Type.String(), dataset: Nullable(Type.String()), version: Type.String() });
export const ModelCard = Type.Object({
  model: Type.Object({ id: Type.String(), name: Type.String(), description: Type.String() }),
  version: Type.Object({
    version: Type.Integer(),
    source: Type.Union([Type.Literal('run'), Type.Literal('onnx')]),
    description: Type.String(),
    tags: StringMap,
    createdAt: Timestamp,
    createdBy: Type.String(),
  }),
  edits: ModelCardEdits,
  training: Nullable(
    Type.Object({
      runId: Type.String(),
      algorithm: Nullable(Type.String()),
      task: Nullable(Task),
      target: Nullable(Type.String()),
      params: Type.Record(Type.String(), Scalar),
      metrics: Metrics,
      environment: Nullable(RunEnvironment),
      durationMs: Nullable(Type.Number()),
      finishedAt: Nullable(Timestamp),
    }),
  ),
  data: Nullable(
    Type.Object({
      datasetId: Type.String(),
      dataset: Nullable(Type.String()),
      version: Type.String(),
      rows: Nullable(Type.Integer()),
      columns: Type.Array(Type.Object({ name: Type.String(), type: Type.String() })),
      parents: Type.Array(DatasetRef),
    }),
  ),
  trainingProfile: Nullable(
    Type.Object({ features: Type.Array(Type.Object({ name: Type.String(), summary: Type.String() })) }),
  ),
  slices: Type.Array(Type.Object({ name: Type.String(), metrics: Type.Record(Type.String(), Type.Number()) })),
  explanation: Nullable(
    Type.Object({
      method: Type.String(),
      features: Type.Array(Type.Object({ name: Type.String(), importance: Type.Number() })),
    }),
  ),
  generatedAt: Timestamp,
});
same<Same<Static<typeof Probe>, Wire.Probe>>();
same<Same<Static<typeof ProbeSet>, Wire.ProbeSet>>();
same<Same<Static<typeof ProbeRun>, Wire.ProbeRun>>();
same<Same<Static<typeof ModelCard>, Wire.ModelCard>>();

// Alerts.
/** Every metric an alert rule may watch (the client's `AlertMetric`). */
export const ALERT_METRICS = [
  'latency_p50',
  'latency_p99',
  'error_rate',
  'accuracy',
  'auc',
  'log_loss',
  'rmse',
  'mae',
  'drift_share',
  'dataset_drift',
  'out_of_profile_share',
  'probe_failure',
  'demographic_parity_ratio',
  'equal_opportunity_ratio',
  'demographic_parity_difference',
  'equalized_odds_difference',
] as const;
export const AlertMetric = Type.Union(ALERT_METRICS.map((m) => Type.Literal(m)));
const AlertComparison = Type.Union([Type.Literal('>'), Type.Literal('>='), Type.Literal('<'), Type.Literal('<=')]);
const AlertSeverity = Type.Union([Type.Literal('warning'), Type.Literal('critical')]);
const RetrainAction = Type.Object({
  kind: Type.Literal('retrain'),
  // A CreateRun body or {run}; checked on input by the route's own schema.
  runTemplate: Type.Record(Type.String(), Type.Unknown()),
  registerAs: Type.Optional(Type.String()),
  promoteAlias: Type.Optional(Type.String()),
});
export const AlertRule = Type.Object({
  id: Type.String(),
  endpointId: Type.String(),
  projectId: Type.String(),
  name: Type.String(),
  metric: AlertMetric,
  window: Type.String(),
  comparison: AlertComparison,
  threshold: Type.Number(),
  minSamples: Type.Integer(),
  severity: AlertSeverity,
  webhook: Nullable(Type.Object({ url: Type.String(), hasSecret: Type.Boolean() })),
  action: Nullable(RetrainAction),
  enabled: Type.Boolean(),
  cooldown: Type.String(),
  options: Nullable(
    Type.Object({
      column: Type.Optional(Type.String()),
      positiveClass: Type.Optional(Type.String()),
      minGroupSize: Type.Optional(Type.Integer()),
    }),
  ),
  lastEvaluation: Nullable(
    Type.Object({
      at: Timestamp,
      value: Nullable(Type.Number()),
      samples: Type.Integer(),
      status: Type.Union([Type.Literal('ok'), Type.Literal('firing'), Type.Literal('no_data')]),
    }),
  ),
  createdAt: Timestamp,
  createdBy: Type.String(),
  updatedAt: Nullable(Timestamp),
});
export const Alert = Type.Object({
  id: Type.String(),
  projectId: Type.String(),
  endpointId: Type.String(),
  ruleId: Nullable(Type.String()),
  ruleName: Nullable(Type.String()),
  metric: Nullable(AlertMetric),
  kind: Type.String(),
  severity: AlertSeverity,
  message: Type.String(),
  value: Nullable(Type.Number()),
  threshold: Nullable(Type.Number()),
  comparison: Nullable(AlertComparison),
  window: Nullable(Type.String()),
  samples: Nullable(Type.Integer()),
  state: Type.Union([Type.Literal('firing'), Type.Literal('resolved')]),
  details: Type.Record(Type.String(), Type.Unknown()),
  deliveryStatus: Type.Union([
    Type.Literal('none'),
    Type.Literal('pending'),
    Type.Literal('delivered'),
    Type.Literal('failed'),
  ]),
  action: Nullable(
    Type.Object({
      status: Type.Union([
        Type.Literal('training'),
        Type.Literal('failed'),
        Type.Literal('registered'),
        Type.Literal('promoted'),
        Type.Literal('gates_failed'),
      ]),
      runId: Nullable(Type.String()),
      model: Nullable(Type.String()),
      modelVersion: Nullable(Type.Integer()),
      message: Nullable(Type.String()),
    }),
  ),
  createdAt: Timestamp,
  resolvedAt: Nullable(Timestamp),
});
export const WebhookDelivery = Type.Object({
  id: Type.String(),
  alertId: Type.String(),
  event: Type.Union([Type.Literal('alert.firing'), Type.Literal('alert.resolved')]),
  target: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(Timestamp),
  lastError: Nullable(Type.String()),
  history: Type.Array(
    Type.Object({
      at: Timestamp,
      status: Nullable(Type.Integer()),
      error: Nullable(Type.String()),
      durationMs: Type.Number(),
    }),
  ),
  createdAt: Timestamp,
  deliveredAt: Nullable(Timestamp),
});
export const AlertWithDeliveries = Type.Composite([Alert, Type.Object({ deliveries: Type.Array(WebhookDelivery) })]);
// The retraining action's template is a union the route checks; the rest must match the client exactly.
same<Same<Omit<Static<typeof AlertRule>, 'action'>, Omit<Wire.AlertRule, 'action'>>>();
same<Same<Static<typeof Alert>, Wire.Alert>>();
same<Same<Static<typeof WebhookDelivery>, Wire.WebhookDelivery>>();
same<Same<Static<typeof AlertWithDeliveries>, Wire.AlertWithDeliveries>>();
