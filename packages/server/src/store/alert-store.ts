// Metadata store, alerts: rules on endpoints' metrics, the alerts they fired, and the webhook outbox.

import { sql, type Kysely } from 'kysely';
import type {
  Alert,
  AlertActionState,
  AlertComparison,
  AlertDeliveryStatus,
  AlertEvaluation,
  AlertMetric,
  AlertRule,
  AlertRuleOptions,
  AlertSeverity,
  AlertState,
  RetrainAction,
  WebhookAttempt,
  WebhookDelivery,
} from '@modelyard/client';
import { newId } from './ids.js';
import type { AuditBy, PageRequest, Paged } from './metadata-store.js';
import type { AlertRulesTable, AlertsTable, Database, WebhookDeliveriesTable } from './schema.js';
import { auditWrite, now, paged } from './store-support.js';

/** A rule as stored: the webhook secret only sealed (auth/secret-box.ts), never in an answer. */
export type AlertRuleRecord = Omit<AlertRule, 'webhook'> & {
  webhookUrl: string | null;
  sealedSecret: string | null;
};

export type NewAlertRuleRecord = Omit<AlertRuleRecord, 'createdAt' | 'updatedAt' | 'lastEvaluation'>;
export type AlertRuleUpdate = Partial<
  Pick<
    AlertRuleRecord,
    | 'name'
    | 'metric'
    | 'window'
    | 'comparison'
    | 'threshold'
    | 'minSamples'
    | 'severity'
    | 'webhookUrl'
    | 'sealedSecret'
    | 'action'
    | 'enabled'
    | 'cooldown'
    | 'options'
  >
>;

export type NewAlertRecord = Omit<Alert, 'id' | 'createdAt' | 'resolvedAt' | 'state' | 'deliveryStatus' | 'action'> & {
  deliveryStatus: AlertDeliveryStatus;
  action: AlertActionState | null;
};

/** A queued delivery as the outbox sends it. */
export interface WebhookDeliveryRecord extends Omit<WebhookDelivery, 'target'> {
  url: string;
  payload: string;
  signature: string | null;
}

export interface NewWebhookDelivery {
  alertId: string;
  event: WebhookDelivery['event'];
  url: string;
  payload: string;
  signature: string | null;
}

export interface DeliveryOutcome {
  status: WebhookDelivery['status'];
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  attempt: WebhookAttempt;
}

export interface AlertStore {
  createAlertRule(rule: NewAlertRuleRecord, by: AuditBy): Promise<AlertRuleRecord>;
  getAlertRule(id: string): Promise<AlertRuleRecord | undefined>;
  getAlertRuleByName(endpointId: string, name: string): Promise<AlertRuleRecord | undefined>;
  /** Every rule of the endpoint, by id. */
  listAlertRules(endpointId: string): Promise<AlertRuleRecord[]>;
  /** Every enabled rule of every endpoint (the evaluator's round). */
  enabledAlertRules(): Promise<AlertRuleRecord[]>;
  updateAlertRule(id: string, change: AlertRuleUpdate, by: AuditBy): Promise<AlertRuleRecord>;
  deleteAlertRule(id: string, by: AuditBy): Promise<void>;
  recordAlertEvaluation(id: string, evaluation: AlertEvaluation): Promise<void>;

  createAlert(alert: NewAlertRecord): Promise<Alert>;
  getAlert(id: string): Promise<Alert | undefined>;
  /** The rule's newest alert (firing or not), for cooldowns and resolution. */
  latestAlertOfRule(ruleId: string): Promise<Alert | undefined>;
  /** Newest first. */
  listAlerts(endpointId: string, filter: { state?: AlertState | undefined }, page: PageRequest): Promise<Paged<Alert>>;
  resolveAlert(id: string, at: string): Promise<void>;
  setAlertDeliveryStatus(id: string, status: AlertDeliveryStatus): Promise<void>;
  setAlertAction(id: string, action: AlertActionState): Promise<void>;
  /** Alerts whose retraining run had not finished yet. */
  alertsWithActionStatus(status: AlertActionState['status']): Promise<Alert[]>;

  enqueueWebhook(delivery: NewWebhookDelivery): Promise<WebhookDeliveryRecord>;
  /** Pending deliveries due at `at` (ISO), oldest first. */
  dueWebhooks(at: string, limit: number): Promise<WebhookDeliveryRecord[]>;
  recordWebhookAttempt(id: string, outcome: DeliveryOutcome): Promise<void>;
  webhooksOfAlert(alertId: string): Promise<WebhookDeliveryRecord[]>;

  /** Latencies (ms) of the endpoint's requests logged in [from, to), the newest `limit`. */
  inferenceLatencies(endpointId: string, window: { from: string; to: string; limit: number }): Promise<number[]>;
}

function ruleFrom(r: AlertRulesTable): AlertRuleRecord {
  return {
    id: r.id,
    projectId: r.project_id,
    endpointId: r.endpoint_id,
    name: r.name,
    metric: r.metric as AlertMetric,
    window: r.window,
    comparison: r.comparison as AlertComparison,
    threshold: Number(r.threshold),
    minSamples: Number(r.min_samples),
    severity: r.severity as AlertSeverity,
    webhookUrl: r.webhook_url,
    sealedSecret: r.webhook_secret,
    action: r.action === null ? null : (JSON.parse(r.action) as RetrainAction),
    enabled: Number(r.enabled) === 1,
    cooldown: r.cooldown,
    options: r.options === null ? null : (JSON.parse(r.options) as AlertRuleOptions),
    lastEvaluation: r.last_evaluation === null ? null : (JSON.parse(r.last_evaluation) as AlertEvaluation),
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
  };
}

const num = (v: number | null): number | null => (v === null ? null : Number(v));

function alertFrom(r: AlertsTable): Alert {
  return {
    id: r.id,
    projectId: r.project_id,
    endpointId: r.endpoint_id,
    ruleId: r.rule_id,
    ruleName: r.rule_name,
    metric: r.metric as AlertMetric | null,
    kind: r.kind,
    severity: r.severity as AlertSeverity,
    message: r.message,
    value: num(r.value),
    threshold: num(r.threshold),
    comparison: r.comparison as AlertComparison | null,
    window: r.window,
    samples: num(r.samples),
    state: r.state as AlertState,
    details: JSON.parse(r.details) as Record<string, unknown>,
    deliveryStatus: r.delivery_status as AlertDeliveryStatus,
    action: r.action === null ? null : (JSON.parse(r.action) as AlertActionState),
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
  };
}

function deliveryFrom(r: WebhookDeliveriesTable): WebhookDeliveryRecord {
  return {
    id: r.id,
    alertId: r.alert_id,
    event: r.event as WebhookDelivery['event'],
    url: r.url,
    payload: r.payload,
    signature: r.signature,
    status: r.status as WebhookDelivery['status'],
    attempts: Number(r.attempts),
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    history: JSON.parse(r.history) as WebhookAttempt[],
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
  };
}

export function alertStore(db: Kysely<Database>): AlertStore {
  const getRule = async (id: string) => {
    const r = await db.selectFrom('alert_rules').selectAll().where('id', '=', id).executeTakeFirst();
    return r && ruleFrom(r);
  };
  return {
    async createAlertRule(rule, by) {
      const createdAt = now();
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('alert_rules')
          .values({
            id: rule.id,
            project_id: rule.projectId,
            endpoint_id: rule.endpointId,
            name: rule.name,
            metric: rule.metric,
            window: rule.window,
            comparison: rule.comparison,
            threshold: rule.threshold,
            min_samples: rule.minSamples,
            severity: rule.severity,
            webhook_url: rule.webhookUrl,
            webhook_secret: rule.sealedSecret,
            action: rule.action === null ? null : JSON.stringify(rule.action),
            enabled: rule.enabled ? 1 : 0,
            cooldown: rule.cooldown,
            last_evaluation: null,
            created_at: createdAt,
            created_by: rule.createdBy,
            updated_at: null,
            options: rule.options === null ? null : JSON.stringify(rule.options),
          })
          .execute();
        // The audit details never carry the secret, sealed or not.
        await auditWrite(trx, { ...by, projectId: rule.projectId }, 'alert_rule', rule.id);
      });
      return (await getRule(rule.id))!;
    },

    getAlertRule: getRule,

    async getAlertRuleByName(endpointId, name) {
      const r = await db
        .selectFrom('alert_rules')
        .selectAll()
        .where('endpoint_id', '=', endpointId)
        .where('name', '=', name)
        .executeTakeFirst();
      return r && ruleFrom(r);
    },

    async listAlertRules(endpointId) {
      const rows = await db
        .selectFrom('alert_rules')
        .selectAll()
        .where('endpoint_id', '=', endpointId)
        .orderBy('id')
        .execute();
      return rows.map(ruleFrom);
    },

    async enabledAlertRules() {
      const rows = await db.selectFrom('alert_rules').selectAll().where('enabled', '=', 1).orderBy('id').execute();
      return rows.map(ruleFrom);
    },

    async updateAlertRule(id, change, by) {
      const set: Partial<AlertRulesTable> = { updated_at: now() };
      if (change.name !== undefined) set.name = change.name;
      if (change.metric !== undefined) set.metric = change.metric;
      if (change.window !== undefined) set.window = change.window;
      if (change.comparison !== undefined) set.comparison = change.comparison;
      if (change.threshold !== undefined) set.threshold = change.threshold;
      if (change.minSamples !== undefined) set.min_samples = change.minSamples;
      if (change.severity !== undefined) set.severity = change.severity;
      if (change.webhookUrl !== undefined) set.webhook_url = change.webhookUrl;
      if (change.sealedSecret !== undefined) set.webhook_secret = change.sealedSecret;
      if (change.action !== undefined) set.action = change.action === null ? null : JSON.stringify(change.action);
      if (change.enabled !== undefined) set.enabled = change.enabled ? 1 : 0;
      if (change.cooldown !== undefined) set.cooldown = change.cooldown;
      if (change.options !== undefined) set.options = change.options === null ? null : JSON.stringify(change.options);
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('alert_rules').set(set).where('id', '=', id).execute();
        await auditWrite(trx, by, 'alert_rule', id);
      });
      return (await getRule(id))!;
    },

    async deleteAlertRule(id, by) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('alert_rules').where('id', '=', id).execute();
        await auditWrite(trx, by, 'alert_rule', id);
      });
    },

    async recordAlertEvaluation(id, evaluation) {
      await db
        .updateTable('alert_rules')
        .set({ last_evaluation: JSON.stringify(evaluation) })
        .where('id', '=', id)
        .execute();
    },

    async createAlert(alert) {
      const record: Alert = {
        ...alert,
        id: newId('alert'),
        state: 'firing',
        createdAt: now(),
        resolvedAt: null,
      };
      await db
        .insertInto('alerts')
        .values({
          id: record.id,
          project_id: record.projectId,
          endpoint_id: record.endpointId,
          rule_id: record.ruleId,
          rule_name: record.ruleName,
          metric: record.metric,
          kind: record.kind,
          severity: record.severity,
          message: record.message,
          value: record.value,
          threshold: record.threshold,
          comparison: record.comparison,
          window: record.window,
          samples: record.samples,
          state: record.state,
          details: JSON.stringify(record.details),
          delivery_status: record.deliveryStatus,
          action: record.action === null ? null : JSON.stringify(record.action),
          created_at: record.createdAt,
          resolved_at: null,
        })
        .execute();
      return record;
    },

    async getAlert(id) {
      const r = await db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
      return r && alertFrom(r);
    },

    async latestAlertOfRule(ruleId) {
      const r = await db
        .selectFrom('alerts')
        .selectAll()
        .where('rule_id', '=', ruleId)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return r && alertFrom(r);
    },

    async listAlerts(endpointId, filter, page) {
      let q = db
        .selectFrom('alerts')
        .selectAll()
        .where('endpoint_id', '=', endpointId)
        .orderBy('id', 'desc')
        .limit(page.limit + 1);
      if (filter.state !== undefined) q = q.where('state', '=', filter.state);
      if (page.after) q = q.where('id', '<', page.after);
      return paged((await q.execute()).map(alertFrom), page.limit);
    },

    async resolveAlert(id, at) {
      await db
        .updateTable('alerts')
        .set({ state: 'resolved', resolved_at: at })
        .where('id', '=', id)
        .where('state', '=', 'firing')
        .execute();
    },

    async setAlertDeliveryStatus(id, status) {
      await db.updateTable('alerts').set({ delivery_status: status }).where('id', '=', id).execute();
    },

    async setAlertAction(id, action) {
      await db
        .updateTable('alerts')
        .set({ action: JSON.stringify(action) })
        .where('id', '=', id)
        .execute();
    },

    async alertsWithActionStatus(status) {
      // A LIKE on the JSON text keeps this dialect-neutral; the parse below checks it exactly.
      const rows = await db
        .selectFrom('alerts')
        .selectAll()
        .where('action', 'is not', null)
        .where(sql<string>`action`, 'like', `%"status":"${status}"%`)
        .execute();
      return rows.map(alertFrom).filter((a) => a.action?.status === status);
    },

    async enqueueWebhook(d) {
      const row: WebhookDeliveriesTable = {
        id: newId('whd'),
        alert_id: d.alertId,
        event: d.event,
        url: d.url,
        payload: d.payload,
        signature: d.signature,
        status: 'pending',
        attempts: 0,
        next_attempt_at: now(),
        last_error: null,
        history: '[]',
        created_at: now(),
        delivered_at: null,
      };
      await db.insertInto('webhook_deliveries').values(row).execute();
      return deliveryFrom(row);
    },

    async dueWebhooks(at, limit) {
      const rows = await db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', at)
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(deliveryFrom);
    },

    async recordWebhookAttempt(id, outcome) {
      await db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('webhook_deliveries')
          .select('history')
          .where('id', '=', id)
          .executeTakeFirst();
        if (!row) return;
        const history = [...(JSON.parse(row.history) as WebhookAttempt[]), outcome.attempt];
        await trx
          .updateTable('webhook_deliveries')
          .set({
            status: outcome.status,
            attempts: outcome.attempts,
            next_attempt_at: outcome.nextAttemptAt,
            last_error: outcome.lastError,
            history: JSON.stringify(history),
            delivered_at: outcome.status === 'delivered' ? outcome.attempt.at : null,
          })
          .where('id', '=', id)
          .execute();
      });
    },

    async webhooksOfAlert(alertId) {
      const rows = await db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('alert_id', '=', alertId)
        .orderBy('id')
        .execute();
      return rows.map(deliveryFrom);
    },

    async inferenceLatencies(endpointId, window) {
      const rows = await db
        .selectFrom('inference_log')
        .select('latency_ms')
        .where('endpoint_id', '=', endpointId)
        .where('created_at', '>=', window.from)
        .where('created_at', '<', window.to)
        .orderBy('created_at', 'desc')
        .limit(window.limit)
        .execute();
      return rows.map((r) => Number(r.latency_ms));
    },
  };
}
