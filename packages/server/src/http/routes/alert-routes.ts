// Alerts on endpoints: rules (editors write, viewers read), the alert history with each alert's webhook deliveries,
// and the count of every predict answer (errors included) that the error rate is computed from.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { AlertRule, AlertWithDeliveries, NewAlertRule } from '@modelyard/client';
import { requireRole } from '../../auth/access.js';
import { badRequest, conflict, notFound } from '../../errors.js';
import type { Services } from '../../services.js';
import type { AlertRuleRecord, AlertRuleUpdate } from '../../store/alert-store.js';
import type { EndpointRecord } from '../../store/metadata-store.js';
import { newId } from '../../store/ids.js';
import { ALGORITHM_NAMES } from '../../tracking/algorithms.js';
import { checkDuration } from '../../monitoring/alert-duration.js';
import { presentAlertRule, presentDelivery } from '../../monitoring/alert-present.js';
import { checkRetrainAction } from '../../monitoring/alert-retrain.js';
import { secretContext } from '../../monitoring/alert-service.js';
import { isFairnessMetric } from '../../monitoring/fairness-alert-source.js';
import { checkWebhookUrl } from '../../monitoring/webhook-url.js';
import { routeSchema } from '../fastify-types.js';
import * as W from '../wire-schemas.js';
import { encodeCursor, pageRequest, PageQuerySchema } from '../cursor.js';
import { AliasSchema, IdSchema, NameSchema } from '../names.js';
import { endpointFor } from './endpoint-access.js';

const EndpointParams = Type.Object({ endpoint: IdSchema });
const RuleParams = Type.Object({ endpoint: IdSchema, rule: IdSchema });
const AlertParams = Type.Object({ alert: IdSchema });
const Duration = Type.String({ minLength: 2, maxLength: 10 });
const ParamValue = Type.Union([Type.Number(), Type.String({ maxLength: 200 }), Type.Boolean()]);
export const RunTemplate = Type.Union([
  Type.Object({ run: IdSchema }, { additionalProperties: false }),
  Type.Object(
    {
      dataset: Type.String({ minLength: 1, maxLength: 100 }),
      version: Type.Optional(Type.String({ pattern: '^[0-9a-f]{4,64}$' })),
      target: Type.String({ minLength: 1, maxLength: 300 }),
      task: Type.Union([Type.Literal('classification'), Type.Literal('regression')]),
      algorithm: Type.Union(ALGORITHM_NAMES.map((name) => Type.Literal(name))),
      params: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), ParamValue)),
    },
    { additionalProperties: false },
  ),
]);
const Action = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('retrain'),
      runTemplate: RunTemplate,
      registerAs: Type.Optional(NameSchema),
      promoteAlias: Type.Optional(AliasSchema),
    },
    { additionalProperties: false },
  ),
  Type.Null(),
]);
const Webhook = Type.Union([
  Type.Object(
    { url: Type.String({ minLength: 1, maxLength: 2000 }), secret: Type.Optional(Type.String({ maxLength: 500 })) },
    { additionalProperties: false },
  ),
  Type.Null(),
]);
// The limits of `GET /endpoints/{e}/fairness`, whose figures the fairness metrics are.
const Options = Type.Union([
  Type.Object(
    {
      column: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
      positiveClass: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
      minGroupSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    },
    { additionalProperties: false },
  ),
  Type.Null(),
]);
const ruleFields = {
  name: NameSchema,
  metric: W.AlertMetric,
  window: Duration,
  comparison: Type.Union([Type.Literal('>'), Type.Literal('>='), Type.Literal('<'), Type.Literal('<=')]),
  threshold: Type.Number(),
  minSamples: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000 })),
  severity: Type.Optional(Type.Union([Type.Literal('warning'), Type.Literal('critical')])),
  webhook: Type.Optional(Webhook),
  action: Type.Optional(Action),
  enabled: Type.Optional(Type.Boolean()),
  cooldown: Type.Optional(Duration),
  options: Type.Optional(Options),
};
const CreateRule = Type.Object(ruleFields, { additionalProperties: false });
const UpdateRule = Type.Partial(Type.Object(ruleFields), { additionalProperties: false, minProperties: 1 });
const AlertsQuery = Type.Intersect([
  PageQuerySchema,
  Type.Object({ state: Type.Optional(Type.Union([Type.Literal('firing'), Type.Literal('resolved')])) }),
]);

async function ruleFor(services: Services, endpoint: EndpointRecord, id: string): Promise<AlertRuleRecord> {
  const rule = await services.store.getAlertRule(id);
  if (!rule || rule.endpointId !== endpoint.id) throw notFound('alert_rule', id);
  return rule;
}

/**
 * Checks what a create or change sets: finite thresholds, durations, http(s) URLs, a retraining run that can start, and
 * a column for a fairness metric (a change is checked together with what it keeps of the `current` rule).
 */
async function checkRule(
  services: Services,
  endpoint: EndpointRecord,
  body: Partial<NewAlertRule>,
  current?: AlertRuleRecord,
): Promise<void> {
  if (body.threshold !== undefined && !Number.isFinite(body.threshold)) {
    throw badRequest('invalid_threshold', 'The threshold must be a finite number.');
  }
  if (body.window !== undefined) checkDuration('window', body.window);
  if (body.cooldown !== undefined) checkDuration('cooldown', body.cooldown);
  const metric = body.metric ?? current?.metric;
  const options = body.options === undefined ? current?.options : body.options;
  if (metric !== undefined && isFairnessMetric(metric) && !options?.column) {
    throw badRequest(
      'alert_column_required',
      `The metric ${metric} compares the segments of a column: name the logged feature as options.column.`,
      { metric },
    );
  }
  if (body.webhook) checkWebhookUrl(body.webhook.url);
  if (body.action) await checkRetrainAction(services, endpoint.projectId, body.action);
}

export function alertRoutes(app: FastifyInstance, services: Services): void {
  const { store, secrets } = services;

  // Every predict answer counts toward its endpoint's error rate, whatever it was; answers to callers who may not use
  // the endpoint (401, 403, 404) are the caller's, not the endpoint's, and would let anyone grow the counters.
  app.addHook('onResponse', async (request, reply) => {
    if (request.method !== 'POST' || !request.routeOptions.url?.endsWith('/endpoints/:endpoint/predict')) return;
    const status = reply.statusCode;
    if (status === 401 || status === 403 || status === 404) return;
    const id = (request.params as { endpoint?: unknown }).endpoint;
    if (typeof id === 'string') services.alerts.recordRequest(id, status);
  });

  app.post<{ Params: Static<typeof EndpointParams>; Body: Static<typeof CreateRule> }>(
    '/endpoints/:endpoint/alert-rules',
    {
      schema: routeSchema('alerts', {
        params: EndpointParams,
        body: CreateRule,
        response: W.replies(201, W.AlertRule),
      }),
    },
    async (request, reply) => {
      const endpoint = await endpointFor(services, request.user, request.params.endpoint, 'editor');
      const body = request.body as NewAlertRule;
      if (await store.getAlertRuleByName(endpoint.id, body.name)) {
        throw conflict('alert_rule_exists', `Endpoint '${endpoint.name}' has an alert rule named '${body.name}'.`);
      }
      await checkRule(services, endpoint, body);
      const id = newId('arule');
      const secret = body.webhook?.secret;
      const rule = await store.createAlertRule(
        {
          id,
          projectId: endpoint.projectId,
          endpointId: endpoint.id,
          name: body.name,
          metric: body.metric,
          window: body.window,
          comparison: body.comparison,
          threshold: body.threshold,
          minSamples: body.minSamples ?? 1,
          severity: body.severity ?? 'warning',
          webhookUrl: body.webhook?.url ?? null,
          sealedSecret: secret ? secrets.seal(secret, secretContext(id)) : null,
          action: body.action ?? null,
          enabled: body.enabled ?? true,
          cooldown: body.cooldown ?? '1h',
          options: body.options ?? null,
          createdBy: request.user.id,
        },
        {
          actor: request.user.id,
          action: 'alert_rule.create',
          details: { endpoint: endpoint.id, metric: body.metric },
        },
      );
      return reply.status(201).send(presentAlertRule(rule));
    },
  );

  app.get<{ Params: Static<typeof EndpointParams> }>(
    '/endpoints/:endpoint/alert-rules',
    {
      schema: routeSchema('alerts', {
        params: EndpointParams,
        response: W.replies(200, Type.Object({ items: Type.Array(W.AlertRule) })),
      }),
    },
    async (request): Promise<{ items: AlertRule[] }> => {
      const endpoint = await endpointFor(services, request.user, request.params.endpoint, 'viewer');
      return { items: (await store.listAlertRules(endpoint.id)).map(presentAlertRule) };
    },
  );

  app.get<{ Params: Static<typeof RuleParams> }>(
    '/endpoints/:endpoint/alert-rules/:rule',
    { schema: routeSchema('alerts', { params: RuleParams, response: W.replies(200, W.AlertRule) }) },
    async (request) => {
      const endpoint = await endpointFor(services, request.user, request.params.endpoint, 'viewer');
      return presentAlertRule(await ruleFor(services, endpoint, request.params.rule));
    },
  );

  app.patch<{ Params: Static<typeof RuleParams>; Body: Static<typeof UpdateRule> }>(
    '/endpoints/:endpoint/alert-rules/:rule',
    {
      schema: routeSchema('alerts', {
        params: RuleParams,
        body: UpdateRule,
        response: W.replies(200, W.AlertRule),
      }),
    },
    async (request) => {
      const endpoint = await endpointFor(services, request.user, request.params.endpoint, 'editor');
      const rule = await ruleFor(services, endpoint, request.params.rule);
      const body = request.body as Partial<NewAlertRule>;
      if (
        body.name !== undefined &&
        body.name !== rule.name &&
        (await store.getAlertRuleByName(endpoint.id, body.name))
      ) {
        throw conflict('alert_rule_exists', `Endpoint '${endpoint.name}' has an alert rule named '${body.name}'.`);
      }
      await checkRule(services, endpoint, body, rule);
      const { webhook, ...rest } = body;
      const change: AlertRuleUpdate = { ...rest };
      if (webhook === null) {
        change.webhookUrl = null;
        change.sealedSecret = null;
      } else if (webhook !== undefined) {
        change.webhookUrl = webhook.url;
        // A change that leaves the secret out keeps the stored one; '' removes it.
        if (webhook.secret !== undefined) {
          change.sealedSecret = webhook.secret === '' ? null : secrets.seal(webhook.secret, secretContext(rule.id));
        }
      }
      const updated = await store.updateAlertRule(rule.id, change, {
        actor: request.user.id,
        action: 'alert_rule.update',
        projectId: endpoint.projectId,
        details: { fields: Object.keys(body) },
      });
      return presentAlertRule(updated);
    },
  );

  app.delete<{ Params: Static<typeof RuleParams> }>(
    '/endpoints/:endpoint/alert-rules/:rule',
    { schema: routeSchema('alerts', { params: RuleParams, response: W.replies(204) }) },
    async (request, reply) => {
      const endpoint = await endpointFor(services, request.user, request.params.endpoint, 'editor');
      const rule = await ruleFor(services, endpoint, request.params.rule);
      await store.deleteAlertRule(rule.id, {
        actor: request.user.id,
        action: 'alert_rule.delete',
        projectId: endpoint.projectId,
        details: { name: rule.name },
      });
      return reply.status(204).send();
    },
  );

  app.get<{ Params: Static<typeof EndpointParams>; Querystring: Static<typeof AlertsQuery> }>(
    '/endpoints/:endpoint/alerts',
    {
      schema: routeSchema('alerts', {
        params: EndpointParams,
        querystring: AlertsQuery,
        response: W.replies(200, W.PageOf(W.Alert)),
      }),
    },
    async (request) => {
      const endpoint = await endpointFor(services, request.user, request.params.endpoint, 'viewer');
      const page = await store.listAlerts(endpoint.id, { state: request.query.state }, pageRequest(request.query));
      return { items: page.items, nextCursor: page.next === null ? null : encodeCursor(page.next) };
    },
  );

  app.get<{ Params: Static<typeof AlertParams> }>(
    '/alerts/:alert',
    { schema: routeSchema('alerts', { params: AlertParams, response: W.replies(200, W.AlertWithDeliveries) }) },
    async (request): Promise<AlertWithDeliveries> => {
      const alert = await store.getAlert(request.params.alert);
      if (!alert) throw notFound('alert', request.params.alert);
      await requireRole(store, request.user, alert.projectId, 'viewer', { type: 'alert', id: alert.id });
      const deliveries = (await store.webhooksOfAlert(alert.id)).map(presentDelivery);
      return { ...alert, deliveries };
    },
  );
}
