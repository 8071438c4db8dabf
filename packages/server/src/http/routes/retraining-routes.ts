// Retraining schedules of models: a cron schedule that starts a retraining run from a template, registers the result
// and moves an alias through the gates; and the history of what every tick came to.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { RetrainSchedule } from '@modelyard/client';
import { requireRole } from '../../auth/access.js';
import { notFound } from '../../errors.js';
import { checkSchedule, nextRunAfter } from '../../jobs/batch-schedule.js';
import { checkRetrainAction } from '../../monitoring/alert-retrain.js';
import type { Services } from '../../services.js';
import { newId } from '../../store/ids.js';
import type { UserRecord } from '../../store/metadata-store.js';
import { routeSchema } from '../fastify-types.js';
import { IdSchema } from '../names.js';
import * as R from '../retraining-schemas.js';
import * as W from '../wire-schemas.js';

const ModelParams = Type.Object({ model: IdSchema });
const ScheduleParams = Type.Object({ schedule: IdSchema });
const RunsQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) });

async function scheduleFor(
  services: Services,
  user: UserRecord,
  id: string,
  min: 'viewer' | 'editor',
): Promise<RetrainSchedule> {
  const schedule = await services.store.getRetrainSchedule(id);
  if (!schedule) throw notFound('retrain_schedule', id);
  await requireRole(services.store, user, schedule.projectId, min, { type: 'retrain_schedule', id });
  return schedule;
}

export function retrainingRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;

  app.post<{ Params: Static<typeof ModelParams>; Body: Static<typeof R.NewRetrainSchedule> }>(
    '/models/:model/retrain-schedules',
    {
      schema: routeSchema('models', {
        params: ModelParams,
        body: R.NewRetrainSchedule,
        response: W.replies(201, R.RetrainSchedule),
      }),
    },
    async (request, reply) => {
      const model = await store.getModel(request.params.model);
      if (!model) throw notFound('model', request.params.model);
      await requireRole(store, request.user, model.projectId, 'editor', { type: 'model', id: model.id });
      const body = request.body;
      checkSchedule(body.schedule);
      const registerAs = body.registerAs ?? model.name;
      // Refused now rather than at the first tick: the run must be one POST /runs would start.
      await checkRetrainAction(services, model.projectId, {
        kind: 'retrain',
        runTemplate: body.runTemplate,
        registerAs,
        ...(body.promoteAlias !== undefined && { promoteAlias: body.promoteAlias }),
      });
      const schedule = await store.createRetrainSchedule(
        {
          id: newId('rts'),
          projectId: model.projectId,
          modelId: model.id,
          schedule: body.schedule,
          runTemplate: body.runTemplate,
          registerAs,
          promoteAlias: body.promoteAlias ?? null,
          nextRunAt: nextRunAfter(body.schedule, new Date()),
          createdBy: request.user.id,
        },
        { actor: request.user.id, action: 'retrain_schedule.create', details: { model: model.id } },
      );
      services.retrainSchedules.set(schedule);
      return reply.code(201).send(schedule);
    },
  );

  app.get<{ Params: Static<typeof ModelParams> }>(
    '/models/:model/retrain-schedules',
    {
      schema: routeSchema('models', { params: ModelParams, response: W.replies(200, R.RetrainScheduleList) }),
    },
    async (request) => {
      const model = await store.getModel(request.params.model);
      if (!model) throw notFound('model', request.params.model);
      await requireRole(store, request.user, model.projectId, 'viewer', { type: 'model', id: model.id });
      return { schedules: await store.listRetrainSchedules(model.id) };
    },
  );

  app.delete<{ Params: Static<typeof ScheduleParams> }>(
    '/retrain-schedules/:schedule',
    { schema: routeSchema('models', { params: ScheduleParams, response: W.replies(204) }) },
    async (request, reply) => {
      const schedule = await scheduleFor(services, request.user, request.params.schedule, 'editor');
      services.retrainSchedules.remove(schedule.id);
      await store.deleteRetrainSchedule(schedule.id, {
        actor: request.user.id,
        action: 'retrain_schedule.delete',
        projectId: schedule.projectId,
      });
      return reply.code(204).send();
    },
  );

  app.get<{ Params: Static<typeof ScheduleParams>; Querystring: Static<typeof RunsQuery> }>(
    '/retrain-schedules/:schedule/runs',
    {
      schema: routeSchema('models', {
        params: ScheduleParams,
        querystring: RunsQuery,
        response: W.replies(200, R.RetrainScheduleRunList),
      }),
    },
    async (request) => {
      const schedule = await scheduleFor(services, request.user, request.params.schedule, 'viewer');
      return { runs: await store.listRetrainScheduleRuns(schedule.id, request.query.limit ?? 100) };
    },
  );
}
