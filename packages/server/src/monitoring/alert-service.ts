// The alerts of one server (`services.alerts`): the metric source registry, the evaluation timer, the event path for
// other rooms (`raise`), the alert history, webhook deliveries through the durable outbox, and retraining actions.

import type { Logger } from 'pino';
import type { Alert, AlertSeverity } from '@modelyard/client';
import type { Services } from '../services.js';
import type { AlertRuleRecord } from '../store/alert-store.js';
import type { MetadataStore } from '../store/metadata-store.js';
import { evaluateRule, MetricRegistry, type RuleOutcome } from './alert-evaluator.js';
import { durationMs, MAX_DURATION_MS } from './alert-duration.js';
import { presentAlertRule } from './alert-present.js';
import { RequestCounter } from './alert-request-counter.js';
import { AlertRetrainer } from './alert-retrain.js';
import type { AlertSettings } from './alert-settings.js';
import type { MetricSource } from './alert-source.js';
import { errorRateSource, labelledSource, latencySource } from './alert-sources.js';
import { WebhookOutbox } from './webhook-outbox.js';
import { signWebhook } from './webhook-signature.js';
import { redactUrl } from './webhook-url.js';

/** An event another room reports (a failed probe, …); see `Alerts.raise`. */
export interface RaisedAlert {
  projectId: string;
  endpointId: string;
  modelId?: string;
  /** What happened, e.g. `probe_failure`. */
  kind: string;
  severity: AlertSeverity;
  message: string;
  details?: Record<string, unknown>;
}

/** The sealed secret's context: a sealed value copied onto another rule does not open. */
export const secretContext = (ruleId: string): string => `alert_rule:${ruleId}`;

type Deps = Pick<Services, 'store' | 'artifacts' | 'serving' | 'training' | 'secrets'>;

export class Alerts {
  readonly registry = new MetricRegistry();
  /** Predict answers and errors per endpoint, for `error_rate`. */
  readonly requests = new RequestCounter(MAX_DURATION_MS);
  readonly outbox: WebhookOutbox;
  private readonly retrainer: AlertRetrainer;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private closed = false;

  /** @param services read lazily: the services object may still be under construction. */
  constructor(
    private readonly services: () => Deps,
    store: MetadataStore,
    readonly settings: AlertSettings,
    private readonly log: Logger,
  ) {
    this.outbox = new WebhookOutbox(store, {
      timeoutMs: settings.webhookTimeoutMs,
      backoff: settings.backoff,
      pollMs: settings.pollMs,
      log,
    });
    this.retrainer = new AlertRetrainer(services, log);
    const flush = () => this.services().serving.inferences.flush();
    this.registerSource(latencySource(store, flush));
    this.registerSource(errorRateSource(this.requests));
    this.registerSource(labelledSource(store, flush));
  }

  /** Plugs in the source of one or more metrics (drift, out-of-profile share, probes); a later one replaces. */
  registerSource(source: MetricSource): void {
    this.registry.register(source);
  }

  /** Counts one predict answer (the HTTP edge calls this for every answer, errors included). */
  recordRequest(endpointId: string, status: number): void {
    this.requests.record(endpointId, status);
  }

  /** Resumes retraining actions and deliveries, then evaluates every `intervalMs`. */
  async start(): Promise<void> {
    const { training } = this.services();
    training.onFinished((runId) => {
      this.retrainer
        .onRunFinished(runId)
        .catch((error: unknown) => this.log.error({ err: error, runId }, 'alert retraining follow-up failed'));
    });
    await this.retrainer.recover();
    this.outbox.start();
    if (this.settings.intervalMs > 0) {
      this.timer = setInterval(() => void this.evaluateNow().catch(() => undefined), this.settings.intervalMs);
      this.timer.unref();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.round?.catch(() => undefined);
    await this.outbox.close();
  }

  /** Evaluates every enabled rule now (after a round under way); resolves when alerts and deliveries are queued. */
  async evaluateNow(): Promise<RuleOutcome[]> {
    await this.round?.catch(() => undefined);
    let outcomes: RuleOutcome[] = [];
    const round = (async () => {
      outcomes = await this.evaluateAll();
    })();
    this.round = round;
    try {
      await round;
    } finally {
      if (this.round === round) this.round = undefined;
    }
    return outcomes;
  }

  /**
   * An event from another room: fires every enabled `probe_failure` rule of the endpoint (webhook, action), unless the
   * rule's alert is still firing and younger than its cooldown (then that alert is returned); with no such rule the
   * event is still recorded in the history (no webhook).
   */
  async raise(event: RaisedAlert): Promise<Alert[]> {
    const { store } = this.services();
    const rules = (await store.listAlertRules(event.endpointId)).filter(
      (r) => r.enabled && r.metric === 'probe_failure',
    );
    const details = { ...event.details, ...(event.modelId !== undefined && { modelId: event.modelId }) };
    if (rules.length === 0) {
      return [
        await store.createAlert({
          projectId: event.projectId,
          endpointId: event.endpointId,
          ruleId: null,
          ruleName: null,
          metric: null,
          kind: event.kind,
          severity: event.severity,
          message: event.message,
          value: null,
          threshold: null,
          comparison: null,
          window: null,
          samples: null,
          details,
          deliveryStatus: 'none',
          action: null,
        }),
      ];
    }
    const fired: Alert[] = [];
    for (const rule of rules) {
      // Repeats of the event while the rule's alert fires within its cooldown are the same alert.
      const latest = await store.latestAlertOfRule(rule.id);
      const cooldownMs = durationMs(rule.cooldown) ?? 0;
      if (latest?.state === 'firing' && Date.now() - Date.parse(latest.createdAt) < cooldownMs) {
        fired.push(latest);
        continue;
      }
      fired.push(
        await this.fire(rule, {
          kind: event.kind,
          severity: event.severity,
          message: event.message,
          value: 1,
          samples: 1,
          details,
        }),
      );
    }
    return fired;
  }

  private async evaluateAll(): Promise<RuleOutcome[]> {
    if (this.closed) return [];
    const { store } = this.services();
    const outcomes: RuleOutcome[] = [];
    for (const rule of await store.enabledAlertRules()) {
      try {
        const latest = (await store.latestAlertOfRule(rule.id)) ?? undefined;
        const outcome = await evaluateRule(this.registry, rule, latest, new Date());
        await store.recordAlertEvaluation(rule.id, outcome.evaluation);
        await this.apply(outcome);
        outcomes.push(outcome);
      } catch (error) {
        this.log.error({ err: error, rule: rule.id }, 'alert rule evaluation failed');
      }
    }
    return outcomes;
  }

  private async apply(outcome: RuleOutcome): Promise<void> {
    const { rule, reading, decision, latest } = outcome;
    if (decision === 'fire') {
      const value = reading.value!;
      await this.fire(rule, {
        kind: 'rule',
        severity: rule.severity,
        message: `${rule.metric} ${formatValue(value)} ${rule.comparison} ${rule.threshold} over ${rule.window} (${reading.samples} samples)`,
        value,
        samples: reading.samples,
        details: { windowStart: outcome.windowStart.toISOString(), windowEnd: outcome.windowEnd.toISOString() },
      });
    } else if (decision === 'resolve' && latest !== undefined) {
      const at = new Date().toISOString();
      await this.services().store.resolveAlert(latest.id, at);
      const resolved = { ...latest, state: 'resolved' as const, resolvedAt: at };
      await this.notify(rule, resolved, 'alert.resolved', { value: reading.value, samples: reading.samples });
    }
  }

  private async fire(
    rule: AlertRuleRecord,
    what: {
      kind: string;
      severity: AlertSeverity;
      message: string;
      value: number;
      samples: number;
      details: Record<string, unknown>;
    },
  ): Promise<Alert> {
    const { store } = this.services();
    const alert = await store.createAlert({
      projectId: rule.projectId,
      endpointId: rule.endpointId,
      ruleId: rule.id,
      ruleName: rule.name,
      metric: rule.metric,
      kind: what.kind,
      severity: what.severity,
      message: what.message,
      value: what.value,
      threshold: rule.threshold,
      comparison: rule.comparison,
      window: rule.window,
      samples: what.samples,
      details: what.details,
      deliveryStatus: rule.webhookUrl === null ? 'none' : 'pending',
      action: null,
    });
    this.log.info({ alert: alert.id, rule: rule.id, endpoint: rule.endpointId }, 'alert firing');
    await this.notify(rule, alert, 'alert.firing');
    if (rule.action !== null) await this.retrainer.start(alert, rule);
    return (await store.getAlert(alert.id)) ?? alert;
  }

  /** Queues the webhook of an alert's change; the outbox sends it (now, and again after a restart if need be). */
  private async notify(
    rule: AlertRuleRecord,
    alert: Alert,
    event: 'alert.firing' | 'alert.resolved',
    resolution?: { value: number | null; samples: number },
  ): Promise<void> {
    if (rule.webhookUrl === null) return;
    const { store, secrets } = this.services();
    const endpoint = await store.getEndpoint(rule.endpointId);
    const payload = JSON.stringify({
      alert: { ...alert, ...(resolution && { resolution }) },
      rule: presentAlertRule(rule),
      endpoint: endpoint && {
        id: endpoint.id,
        name: endpoint.name,
        projectId: endpoint.projectId,
        model: endpoint.modelRef,
      },
    });
    const signature =
      rule.sealedSecret === null ? null : signWebhook(payload, secrets.open(rule.sealedSecret, secretContext(rule.id)));
    const delivery = await store.enqueueWebhook({ alertId: alert.id, event, url: rule.webhookUrl, payload, signature });
    if (event === 'alert.resolved') await store.setAlertDeliveryStatus(alert.id, 'pending');
    this.log.info(
      { alert: alert.id, delivery: delivery.id, target: redactUrl(rule.webhookUrl), event },
      'webhook queued',
    );
    this.outbox.kick();
  }
}

const formatValue = (v: number): string => (Number.isInteger(v) ? String(v) : v.toPrecision(4));
