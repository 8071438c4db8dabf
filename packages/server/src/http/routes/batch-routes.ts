// Batch scoring jobs: define them per project (model reference, source, output dataset, partitions, schedule), start
// runs on demand, and follow runs partition by partition.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { BatchJob, BatchOutputColumns, BatchOutputTable, BatchRun, BatchSource } from '@modelyard/client';
import { projectByName, requireRole } from '../../auth/access.js';
import { conflict, notFound } from '../../errors.js';
import { checkSource, datasetInput, featureReads } from '../../jobs/batch-input.js';
import { checkSchedule, nextRunAfter } from '../../jobs/batch-schedule.js';
import { checkOutputTable } from '../../jobs/batch-table-output.js';
import type { Services } from '../../services.js';
import type { BatchRunRecord } from '../../store/batch-store.js';
import type { UserRecord } from '../../store/metadata-store.js';
import { isUniqueViolation } from '../../store/store-support.js';
import { encodeCursor, pageRequest, PageQuerySchema, type PageQuery } from '../cursor.js';
import { routeSchema } from '../fastify-types.js';
import { IdSchema, NameSchema } from '../names.js';
import * as W from '../wire-schemas.js';

const ColumnName = Type.String({ minLength: 1, maxLength: 300 });
const JobFields = {
  model: Type.String({ minLength: 3, maxLength: 150, description: 'name@alias or name@version' }),
  source: W.BatchSource,
  outputDataset: NameSchema,
  partitions: Type.Integer({ minimum: 1, maximum: 1024 }),
  schedule: Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()]),
  keepColumns: Type.Union([Type.Array(ColumnName, { maxItems: 10_000 }), Type.Null()]),
  outputColumns: Type.Partial(
    Type.Object({ prediction: ColumnName, probability: ColumnName, probabilityPrefix: ColumnName, label: ColumnName }),
    { additionalProperties: false },
  ),
  outputTable: Type.Union([W.BatchOutputTable, Type.Null()]),
};
const CreateJob = Type.Object(
  {
    name: NameSchema,
    model: JobFields.model,
    source: JobFields.source,
    outputDataset: JobFields.outputDataset,
    partitions: Type.Optional(JobFields.partitions),
    schedule: Type.Optional(JobFields.schedule),
    keepColumns: Type.Optional(JobFields.keepColumns),
    outputColumns: Type.Optional(JobFields.outputColumns),
    outputTable: Type.Optional(JobFields.outputTable),
  },
  { additionalProperties: false },
);
const ChangeJob = Type.Partial(Type.Object(JobFields), { additionalProperties: false });
const ProjectParams = Type.Object({ project: NameSchema });
const JobParams = Type.Object({ job: IdSchema });
const RunParams = Type.Object({ run: IdSchema });

/** Two partitions by default: the cores of the machines this was measured on. */
export const DEFAULT_PARTITIONS = 2;
const DEFAULT_OUTPUT_COLUMNS: BatchOutputColumns = {
  prediction: 'prediction',
  probability: 'probability',
  probabilityPrefix: 'p_',
  label: 'label',
};

const presentRun = ({ artifactKey: _key, inputParents: _parents, ...run }: BatchRunRecord): BatchRun => run;

export function batchRoutes(app: FastifyInstance, services: Services): void {
  const { store, batch } = services;

  async function jobFor(user: UserRecord, id: string, min: 'viewer' | 'editor'): Promise<BatchJob> {
    const job = await store.getBatchJob(id);
    if (!job) throw notFound('batch_job', id);
    await requireRole(store, user, job.projectId, min, { type: 'batch_job', id });
    return job;
  }

  /**
   * Refuses what would fail every run: an unknown model or alias, a bad source or schedule, missing features, an
   * output table with a bad name or not on a writable connection of the job's own project.
   */
  async function check(
    job: Pick<BatchJob, 'projectId' | 'model' | 'source' | 'schedule' | 'outputTable'>,
  ): Promise<void> {
    if (job.schedule !== null) checkSchedule(job.schedule);
    await checkSource(services, job.projectId, job.source);
    if (job.outputTable !== null) await checkOutputTable(services, job.projectId, job.outputTable);
    const scorer = await batch.resolveScorer(job as BatchJob);
    if (job.source.kind === 'dataset') {
      const input = await datasetInput(services, job.projectId, job.source);
      featureReads(scorer.artifact, input.profile.columns);
    }
  }

  app.post<{ Params: Static<typeof ProjectParams>; Body: Static<typeof CreateJob> }>(
    '/projects/:project/batch-jobs',
    {
      schema: routeSchema('batch', {
        params: ProjectParams,
        body: CreateJob,
        response: W.replies(201, W.BatchJob),
        description:
          'Define a batch scoring job: a model reference scores a dataset (a version, or the latest at run time) or ' +
          'a SELECT into a new version of the output dataset, in partitions, on demand or on a cron schedule; ' +
          'optionally also into a table on one of the project’s connections (outputTable, replace or append).',
      }),
    },
    async (request, reply) => {
      const { project } = await projectByName(store, request.user, request.params.project, 'editor');
      const body = request.body;
      const spec = {
        projectId: project.id,
        name: body.name,
        model: body.model,
        source: body.source as BatchSource,
        outputDataset: body.outputDataset,
        partitions: body.partitions ?? DEFAULT_PARTITIONS,
        schedule: body.schedule ?? null,
        keepColumns: body.keepColumns ?? null,
        outputColumns: { ...DEFAULT_OUTPUT_COLUMNS, ...body.outputColumns },
        outputTable: (body.outputTable ?? null) as BatchOutputTable | null,
        nextRunAt: null as string | null,
        createdBy: request.user.id,
      };
      await check(spec);
      if (spec.schedule !== null) spec.nextRunAt = nextRunAfter(spec.schedule, new Date());
      let job: BatchJob;
      try {
        job = await store.createBatchJob(spec, { actor: request.user.id, action: 'batch_job.create' });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        throw conflict('batch_job_exists', `The project has a batch job named '${body.name}' already.`);
      }
      batch.schedules.set(job);
      return reply.status(201).send(job);
    },
  );

  app.get<{ Params: Static<typeof ProjectParams>; Querystring: PageQuery }>(
    '/projects/:project/batch-jobs',
    {
      schema: routeSchema('batch', {
        params: ProjectParams,
        querystring: PageQuerySchema,
        response: W.replies(200, W.PageOf(W.BatchJob)),
      }),
    },
    async (request) => {
      const { project } = await projectByName(store, request.user, request.params.project, 'viewer');
      const page = await store.listBatchJobs(project.id, pageRequest(request.query));
      return { items: page.items, nextCursor: page.next === null ? null : encodeCursor(page.next) };
    },
  );

  app.get<{ Params: Static<typeof JobParams> }>(
    '/batch-jobs/:job',
    { schema: routeSchema('batch', { params: JobParams, response: W.replies(200, W.BatchJob) }) },
    async (request) => jobFor(request.user, request.params.job, 'viewer'),
  );

  app.patch<{ Params: Static<typeof JobParams>; Body: Static<typeof ChangeJob> }>(
    '/batch-jobs/:job',
    {
      schema: routeSchema('batch', {
        params: JobParams,
        body: ChangeJob,
        response: W.replies(200, W.BatchJob),
        description: 'Change a job; the next run uses the change, a schedule change takes effect at once.',
      }),
    },
    async (request) => {
      const job = await jobFor(request.user, request.params.job, 'editor');
      const body = request.body;
      const changed = {
        ...job,
        ...(body.model !== undefined && { model: body.model }),
        ...(body.source !== undefined && { source: body.source as BatchSource }),
        ...(body.schedule !== undefined && { schedule: body.schedule }),
        ...(body.outputTable !== undefined && { outputTable: body.outputTable as BatchOutputTable | null }),
      };
      await check(changed);
      const scheduleChanged = body.schedule !== undefined && body.schedule !== job.schedule;
      await store.updateBatchJob(
        job.id,
        {
          ...(body.model !== undefined && { model: body.model }),
          ...(body.source !== undefined && { source: body.source as BatchSource }),
          ...(body.outputDataset !== undefined && { outputDataset: body.outputDataset }),
          ...(body.partitions !== undefined && { partitions: body.partitions }),
          ...(body.schedule !== undefined && { schedule: body.schedule }),
          ...(body.keepColumns !== undefined && { keepColumns: body.keepColumns }),
          ...(body.outputColumns !== undefined && { outputColumns: { ...job.outputColumns, ...body.outputColumns } }),
          ...(body.outputTable !== undefined && { outputTable: changed.outputTable }),
          ...(scheduleChanged && {
            nextRunAt: changed.schedule === null ? null : nextRunAfter(changed.schedule, new Date()),
          }),
        },
        { actor: request.user.id, action: 'batch_job.update', projectId: job.projectId },
      );
      const updated = (await store.getBatchJob(job.id))!;
      if (scheduleChanged) batch.schedules.set(updated);
      return updated;
    },
  );

  app.delete<{ Params: Static<typeof JobParams> }>(
    '/batch-jobs/:job',
    {
      schema: routeSchema('batch', {
        params: JobParams,
        response: W.replies(204),
        description: 'Delete a job and its run history (its output versions stay); refused while a run is going.',
      }),
    },
    async (request, reply) => {
      const job = await jobFor(request.user, request.params.job, 'editor');
      if (await batch.hasActiveRun(job.id)) {
        throw conflict('batch_run_active', 'A run of this job is going; delete the job once it has ended.');
      }
      batch.schedules.remove(job.id);
      await store.deleteBatchJob(job.id, {
        actor: request.user.id,
        action: 'batch_job.delete',
        projectId: job.projectId,
      });
      return reply.status(204).send();
    },
  );

  app.post<{ Params: Static<typeof JobParams> }>(
    '/batch-jobs/:job/run',
    {
      schema: routeSchema('batch', {
        params: JobParams,
        response: { ...W.replies(201, W.BatchRun) },
        description:
          'Start a run now. The model reference and input version are resolved and recorded first; the rows are ' +
          'scored in the background (follow the run for partitions and rows done).',
      }),
    },
    async (request, reply) => {
      const job = await jobFor(request.user, request.params.job, 'editor');
      const run = await batch.trigger(job, request.user.id, 'manual');
      return reply.status(201).send(presentRun(run));
    },
  );

  app.get<{ Params: Static<typeof JobParams>; Querystring: PageQuery }>(
    '/batch-jobs/:job/runs',
    {
      schema: routeSchema('batch', {
        params: JobParams,
        querystring: PageQuerySchema,
        response: W.replies(200, W.PageOf(W.BatchRun)),
        description: 'The job’s runs, newest first (scheduled ticks skipped while a run was going included).',
      }),
    },
    async (request) => {
      const job = await jobFor(request.user, request.params.job, 'viewer');
      const page = await store.listBatchRuns(job.id, pageRequest(request.query));
      return { items: page.items.map(presentRun), nextCursor: page.next === null ? null : encodeCursor(page.next) };
    },
  );

  app.get<{ Params: Static<typeof RunParams> }>(
    '/batch-runs/:run',
    { schema: routeSchema('batch', { params: RunParams, response: W.replies(200, W.BatchRun) }) },
    async (request) => {
      const run = await store.getBatchRun(request.params.run);
      if (!run) throw notFound('batch_run', request.params.run);
      await requireRole(store, request.user, run.projectId, 'viewer', { type: 'batch_run', id: run.id });
      return presentRun(run);
    },
  );
}
