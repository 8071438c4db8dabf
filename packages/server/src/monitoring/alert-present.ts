// Alert rules and deliveries as the API shows them: never a secret, sealed or not; delivery targets without user
// info or query.

import type { AlertRule, WebhookDelivery } from '@modelyard/client';
import type { AlertRuleRecord, WebhookDeliveryRecord } from '../store/alert-store.js';
import { redactUrl, withoutUserInfo } from './webhook-url.js';

export function presentAlertRule(rule: AlertRuleRecord): AlertRule {
  return {
    id: rule.id,
    endpointId: rule.endpointId,
    projectId: rule.projectId,
    name: rule.name,
    metric: rule.metric,
    window: rule.window,
    comparison: rule.comparison,
    threshold: rule.threshold,
    minSamples: rule.minSamples,
    severity: rule.severity,
    webhook:
      rule.webhookUrl === null ? null : { url: withoutUserInfo(rule.webhookUrl), hasSecret: !!rule.sealedSecret },
    action: rule.action,
    enabled: rule.enabled,
    cooldown: rule.cooldown,
    options: rule.options,
    lastEvaluation: rule.lastEvaluation,
    createdAt: rule.createdAt,
    createdBy: rule.createdBy,
    updatedAt: rule.updatedAt,
  };
}

export function presentDelivery(d: WebhookDeliveryRecord): WebhookDelivery {
  return {
    id: d.id,
    alertId: d.alertId,
    event: d.event,
    target: redactUrl(d.url),
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt,
    lastError: d.lastError,
    history: d.history,
    createdAt: d.createdAt,
    deliveredAt: d.deliveredAt,
  };
}
