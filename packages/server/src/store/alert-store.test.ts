// The alert tables on SQLite and PostgreSQL: rules with their sealed secret and options, the history with its states,
// and the webhook outbox's due deliveries and attempts.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetadataStore } from './metadata-store.js';
import { ADAPTERS, aliceAndProject, openThrowAwayStore, type ThrowAwayStore } from './test-databases.js';

const by = (actor: string, action: string) => ({ actor, action });

describe.each(ADAPTERS)('AlertStore on %s', (adapter) => {
  let handle: ThrowAwayStore;
  let store: MetadataStore;
  let projectId: string;
  let endpointId: string;
  let userId: string;

  beforeAll(async () => {
    handle = await openThrowAwayStore(adapter);
    store = handle.store;
    ({ userId, projectId } = await aliceAndProject(store, 'p'));
    endpointId = (
      await store.createEndpoint(
        { projectId, name: 'e', modelRef: 'm@champion', createdBy: userId, maxConcurrency: 4 },
        by(userId, 'endpoint.create'),
      )
    ).id;
  });

  afterAll(async () => {
    await handle?.dispose();
  });

  it('stores rules, changes them, and lists the enabled ones', async () => {
    const rule = await store.createAlertRule(
      {
        id: `arule_${adapter}`,
        projectId,
        endpointId,
        name: 'slow',
        metric: 'latency_p99',
        window: '15m',
        comparison: '>',
        threshold: 250.5,
        minSamples: 10,
        severity: 'critical',
        webhookUrl: 'https://hooks.example.com/x',
        sealedSecret: 'v1:sealed',
        action: { kind: 'retrain', runTemplate: { run: 'run_1' }, registerAs: 'm' },
        enabled: true,
        cooldown: '1h',
        options: null,
        createdBy: userId,
      },
      by(userId, 'alert_rule.create'),
    );
    expect(rule).toMatchObject({ threshold: 250.5, minSamples: 10, enabled: true, lastEvaluation: null });
    expect(await store.getAlertRuleByName(endpointId, 'slow')).toEqual(rule);
    await store.recordAlertEvaluation(rule.id, { at: rule.createdAt, value: 3, samples: 4, status: 'ok' });
    const off = await store.updateAlertRule(rule.id, { enabled: false, sealedSecret: null }, by(userId, 'u'));
    expect(off).toMatchObject({ enabled: false, sealedSecret: null, lastEvaluation: { value: 3, status: 'ok' } });
    expect((await store.enabledAlertRules()).map((r) => r.id)).not.toContain(rule.id);
    await store.updateAlertRule(rule.id, { enabled: true }, by(userId, 'u'));
    expect((await store.enabledAlertRules()).map((r) => r.id)).toContain(rule.id);
    expect(rule.options).toBeNull();
  });

  it('keeps the options a fairness rule needs, changes and removes them', async () => {
    const rule = await store.createAlertRule(
      {
        id: `arule_fair_${adapter}`,
        projectId,
        endpointId,
        name: 'fair',
        metric: 'equal_opportunity_ratio',
        window: '7d',
        comparison: '<',
        threshold: 0.8,
        minSamples: 100,
        severity: 'warning',
        webhookUrl: null,
        sealedSecret: null,
        action: null,
        enabled: true,
        cooldown: '1h',
        options: { column: 'Marital', positiveClass: 'good', minGroupSize: 50 },
        createdBy: userId,
      },
      by(userId, 'alert_rule.create'),
    );
    expect(rule).toMatchObject({
      metric: 'equal_opportunity_ratio',
      options: { column: 'Marital', positiveClass: 'good', minGroupSize: 50 },
    });
    expect((await store.listAlertRules(endpointId)).find((r) => r.id === rule.id)).toEqual(rule);
    const moved = await store.updateAlertRule(rule.id, { options: { column: 'Home' } }, by(userId, 'u'));
    expect(moved.options).toEqual({ column: 'Home' });
    // A change without options keeps them.
    expect((await store.updateAlertRule(rule.id, { threshold: 0.9 }, by(userId, 'u'))).options).toEqual({
      column: 'Home',
    });
    const cleared = await store.updateAlertRule(rule.id, { metric: 'accuracy', options: null }, by(userId, 'u'));
    expect(cleared).toMatchObject({ metric: 'accuracy', options: null });
    await store.deleteAlertRule(rule.id, by(userId, 'alert_rule.delete'));
  });

  it('keeps the history newest first, by state, with resolution and action', async () => {
    const base = {
      projectId,
      endpointId,
      ruleId: `arule_${adapter}`,
      ruleName: 'slow',
      metric: 'latency_p99' as const,
      kind: 'rule',
      severity: 'warning' as const,
      message: 'm',
      value: 300,
      threshold: 250.5,
      comparison: '>' as const,
      window: '15m',
      samples: 12,
      details: { a: 1 },
      deliveryStatus: 'pending' as const,
      action: null,
    };
    const first = await store.createAlert(base);
    await store.resolveAlert(first.id, new Date().toISOString());
    const second = await store.createAlert({ ...base, value: 400 });
    expect((await store.latestAlertOfRule(base.ruleId))!.id).toBe(second.id);
    expect((await store.listAlerts(endpointId, {}, { limit: 10 })).items.map((a) => a.id)).toEqual([
      second.id,
      first.id,
    ]);
    expect((await store.listAlerts(endpointId, { state: 'resolved' }, { limit: 10 })).items.map((a) => a.id)).toEqual([
      first.id,
    ]);
    const page = await store.listAlerts(endpointId, {}, { limit: 1 });
    expect(page.next).toBe(second.id);
    await store.setAlertAction(second.id, {
      status: 'training',
      runId: 'run_x',
      model: 'm',
      modelVersion: null,
      message: null,
    });
    expect((await store.alertsWithActionStatus('training')).map((a) => a.id)).toEqual([second.id]);
    expect(await store.alertsWithActionStatus('promoted')).toEqual([]);
    expect(await store.getAlert(second.id)).toMatchObject({ value: 400, details: { a: 1 }, state: 'firing' });
  });

  it('hands out due deliveries and records each attempt', async () => {
    const alert = (await store.listAlerts(endpointId, {}, { limit: 1 })).items[0]!;
    const d = await store.enqueueWebhook({
      alertId: alert.id,
      event: 'alert.firing',
      url: 'https://hooks.example.com/x',
      payload: '{"a":1}',
      signature: 'sha256=00',
    });
    const due = await store.dueWebhooks(new Date(Date.now() + 1000).toISOString(), 10);
    expect(due.map((x) => x.id)).toContain(d.id);
    const later = new Date(Date.now() + 60_000).toISOString();
    await store.recordWebhookAttempt(d.id, {
      status: 'pending',
      attempts: 1,
      nextAttemptAt: later,
      lastError: 'HTTP 503',
      attempt: { at: new Date().toISOString(), status: 503, error: null, durationMs: 5 },
    });
    expect((await store.dueWebhooks(new Date().toISOString(), 10)).map((x) => x.id)).not.toContain(d.id);
    const [stored] = await store.webhooksOfAlert(alert.id);
    expect(stored).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: later, lastError: 'HTTP 503' });
    expect(stored!.history).toHaveLength(1);
  });
});
