// Command runs: any program run as a job of a run (start, kill), and its stdout/stderr read from a byte offset while
// it runs and after.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { badRequest, conflict, notFound } from '../../errors.js';
import { LOG_STREAMS, type LogStream } from '../../jobs/command-jobs.js';
import { resolveJobDirectory } from '../../jobs/job-directory.js';
import { resolveExecutable } from '../../jobs/resolve-executable.js';
import type { Services } from '../../services.js';
import { newId } from '../../store/ids.js';
import { NOT_TRAINED } from '../../store/metadata-store.js';
import { routeSchema } from '../fastify-types.js';
import { IdSchema } from '../names.js';
import { presentRun } from '../present.js';
import * as W from '../wire-schemas.js';
import { experimentById, TagMap } from './experiment-routes.js';
import { runFor } from './run-routes.js';

const MAX_LOG_READ = 4 * 1024 * 1024;
const TAG_VALUE_MAX = 8000;

const ExperimentParams = Type.Object({ experiment: IdSchema });
const RunParams = Type.Object({ run: IdSchema });
const StartCommandRun = Type.Object(
  {
    /** The program and its arguments, run without a shell. */
    command: Type.Array(Type.String({ maxLength: 32_768 }), { minItems: 1, maxItems: 100 }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 250 })),
    /** A folder inside the server's data roots; a fresh folder of the run's own when left out. */
    cwd: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
    env: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,127}$' }), Type.String({ maxLength: 32_768 }), {
        maxProperties: 100,
      }),
    ),
    timeoutSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 * 24 * 3600 })),
    tags: Type.Optional(TagMap),
  },
  { additionalProperties: false },
);
const LogsQuery = Type.Object({
  stream: Type.Optional(Type.Union(LOG_STREAMS.map((s) => Type.Literal(s)))),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LOG_READ, default: 1024 * 1024 })),
});

const LIVE = new Set(['queued', 'running']);

/** The command as a person would type it, for the run's `modelyard.command` tag. */
function displayCommand(argv: string[]): string {
  const text = argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
  return text.length <= TAG_VALUE_MAX ? text : `${text.slice(0, TAG_VALUE_MAX - 1)}…`;
}

export function commandRunRoutes(app: FastifyInstance, services: Services): void {
  const { store, config } = services;

  app.post<{ Params: Static<typeof ExperimentParams>; Body: Static<typeof StartCommandRun> }>(
    '/experiments/:experiment/runs/command',
    {
      schema: routeSchema('runs', {
        params: ExperimentParams,
        body: StartCommandRun,
        response: W.replies(201, W.Run),
        description:
          'Run a program (no shell) as a job of a new run: MLFLOW_TRACKING_URI, MLFLOW_RUN_ID, MLFLOW_TRACKING_TOKEN, ' +
          'MODELYARD_URL, MODELYARD_RUN_ID, MODELYARD_TOKEN and MODELYARD_PROJECT in its environment; its exit ' +
          'code is the run status, its output the run logs.',
      }),
    },
    async (request, reply) => {
      const experiment = await experimentById(services, request.user, request.params.experiment, 'editor');
      if (experiment.lifecycleStage === 'deleted') {
        throw badRequest('experiment_deleted', `Experiment '${experiment.name}' is deleted; restore it first.`);
      }
      const project = await store.getProject(experiment.projectId);
      if (!project) throw notFound('experiment', experiment.id);
      const body = request.body;
      const cwd = body.cwd === undefined ? null : await resolveJobDirectory(body.cwd, config.allowedRoots);
      const program = body.command[0]!;
      const executable = await resolveExecutable(program, {
        // A relative path with a slash needs a folder to be relative to: only a given one.
        cwd: cwd ?? '/nonexistent',
        pathVariable: body.env?.PATH ?? process.env.PATH,
      });
      if (executable === undefined) {
        throw badRequest('command_not_found', `No executable '${program}' on the server's PATH.`, {
          command: program,
        });
      }
      const id = newId('run');
      const run = await store.createRun(
        {
          id,
          projectId: experiment.projectId,
          experimentId: experiment.id,
          parentRunId: null,
          name: body.name ?? `${program.split('/').pop() ?? 'command'}-${id.slice(-6)}`,
          kind: 'command',
          status: 'queued',
          ...NOT_TRAINED,
          tags: { ...body.tags, 'modelyard.command': displayCommand(body.command) },
          createdBy: request.user.id,
        },
        { actor: request.user.id, action: 'run.create', details: { experiment: experiment.id, kind: 'command' } },
      );
      services.commands.submit(run, project.name, request.user.id, {
        executable,
        argv: body.command,
        cwd,
        env: body.env ?? {},
        timeoutSeconds: body.timeoutSeconds ?? null,
      });
      return reply.status(201).send(presentRun(run));
    },
  );

  app.post<{ Params: Static<typeof RunParams> }>(
    '/runs/:run/kill',
    {
      schema: routeSchema('runs', {
        params: RunParams,
        response: W.replies(200, W.Run),
        description: 'Stop a queued or running command run (SIGTERM, then SIGKILL); it ends as killed.',
      }),
    },
    async (request) => {
      const run = await runFor(services, request.user, request.params.run, 'editor');
      if (run.kind !== 'command') {
        throw badRequest('run_not_command', `Run '${run.id}' is a ${run.kind} run; only command runs can be killed.`);
      }
      if (!LIVE.has(run.status) && !services.commands.isLive(run.id)) {
        throw conflict('run_not_running', `Run '${run.id}' has ended (${run.status}).`);
      }
      if (!(await services.commands.kill(run.id))) {
        // No process of ours holds it (it was lost): record the end the caller asked for.
        const now = new Date().toISOString();
        await store.updateRun(run.id, {
          status: 'killed',
          finishedAt: now,
          durationMs: Math.max(0, Date.parse(now) - Date.parse(run.startedAt ?? run.createdAt)),
        });
      }
      request.log.info({ runId: run.id, by: request.user.id }, 'command run killed');
      return presentRun((await store.getRun(run.id))!);
    },
  );

  app.get<{ Params: Static<typeof RunParams>; Querystring: Static<typeof LogsQuery> }>(
    '/runs/:run/logs',
    {
      schema: routeSchema('runs', {
        params: RunParams,
        querystring: LogsQuery,
        response: W.replies(200, W.RunLogs),
        description:
          "A run's stdout or stderr from byte `offset` (at most `limit` bytes, whole characters); poll with " +
          '`offset = nextOffset` to follow it while `running`.',
      }),
    },
    async (request) => {
      const run = await runFor(services, request.user, request.params.run, 'viewer');
      const stream: LogStream = request.query.stream ?? 'stdout';
      const offset = request.query.offset ?? 0;
      // Asked first: once the executor has let the job go, the whole log is in the artifact store and the status is
      // final (the job itself may have ended its run early through the tracking API).
      const running = services.commands.isLive(run.id) || (run.kind !== 'command' && LIVE.has(run.status));
      const part = await services.commands.readLog(run.id, stream, offset, request.query.limit ?? 1024 * 1024);
      return { stream, offset, ...part, running };
    },
  );
}
