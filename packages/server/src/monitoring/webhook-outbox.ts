// The durable webhook outbox: deliveries are rows (webhook_deliveries) written before anything is sent, so a restart
// resends what was pending. Each attempt POSTs the stored body with its stored signature and a time limit; 2xx is
// delivered, 4xx (but 408 and 429) failed for good, anything else is tried again after an exponential back-off, until
// the last attempt. Logs name the target without user info or query, and never a secret.

import type { Logger } from 'pino';
import type { AlertDeliveryStatus, WebhookAttempt } from '@modelyard/client';
import type { MetadataStore } from '../store/metadata-store.js';
import type { DeliveryOutcome, WebhookDeliveryRecord } from '../store/alert-store.js';
import { retryableStatus, retryDelay, type BackoffPolicy } from './webhook-backoff.js';
import { SIGNATURE_HEADER } from './webhook-signature.js';
import { redactUrl } from './webhook-url.js';

export interface OutboxOptions {
  timeoutMs: number;
  backoff: BackoffPolicy;
  pollMs: number;
  log: Logger;
  random?: () => number;
}

/** Deliveries attempted in one pass at most. */
const BATCH = 20;

export class WebhookOutbox {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly stop = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;

  constructor(
    private readonly store: MetadataStore,
    private readonly options: OutboxOptions,
  ) {}

  start(): void {
    if (this.timer !== undefined || this.stop.signal.aborted) return;
    this.timer = setInterval(() => this.kick(), this.options.pollMs).unref();
    this.kick();
  }

  /** Looks for due deliveries now (after a new one was queued). */
  kick(): void {
    if (this.stop.signal.aborted || this.pass !== undefined) return;
    this.pass = this.deliverDue()
      .catch((error: unknown) => this.options.log.error({ err: error }, 'webhook outbox pass failed'))
      .finally(() => (this.pass = undefined));
  }

  /** One pass: attempts every due delivery not already in flight and waits for them. */
  async deliverDue(): Promise<void> {
    const due = await this.store.dueWebhooks(new Date().toISOString(), BATCH);
    const started = due.filter((d) => !this.inFlight.has(d.id)).map((d) => this.track(d));
    await Promise.all(started);
  }

  /** Waits for the attempts under way (tests). */
  async settle(): Promise<void> {
    await this.pass;
    await Promise.all(this.inFlight.values());
  }

  /** Stops the timer and abandons attempts under way: they stay pending and are sent again after a restart. */
  async close(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.stop.abort();
    await this.pass;
    await Promise.all(this.inFlight.values());
  }

  private track(d: WebhookDeliveryRecord): Promise<void> {
    const job = this.attempt(d)
      .catch((error: unknown) =>
        this.options.log.error({ err: error, delivery: d.id, target: redactUrl(d.url) }, 'webhook attempt failed'),
      )
      .finally(() => this.inFlight.delete(d.id));
    this.inFlight.set(d.id, job);
    return job;
  }

  private async attempt(d: WebhookDeliveryRecord): Promise<void> {
    const { timeoutMs, backoff, log } = this.options;
    const at = new Date();
    const started = performance.now();
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'modelyard-webhook/1',
      'x-modelyard-event': d.event,
      'x-modelyard-delivery': d.id,
      'x-modelyard-timestamp': String(Math.floor(at.getTime() / 1000)),
    };
    if (d.signature !== null) headers[SIGNATURE_HEADER] = d.signature;
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(d.url, {
        method: 'POST',
        headers,
        body: d.payload,
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), this.stop.signal]),
      });
      status = response.status;
      await response.body?.cancel().catch(() => undefined);
    } catch (e) {
      // Shutting down: the attempt does not count, the delivery stays pending for the next start.
      if (this.stop.signal.aborted) return;
      error = describeFailure(e, timeoutMs);
    }
    const attempt: WebhookAttempt = {
      at: at.toISOString(),
      status,
      error,
      durationMs: Math.round(performance.now() - started),
    };
    const attempts = d.attempts + 1;
    let outcome: DeliveryOutcome;
    if (status !== null && status >= 200 && status < 300) {
      outcome = { status: 'delivered', attempts, nextAttemptAt: null, lastError: null, attempt };
    } else {
      const lastError = error ?? `HTTP ${status}`;
      const retry = (status === null || retryableStatus(status)) && attempts < backoff.maxAttempts;
      outcome = retry
        ? {
            status: 'pending',
            attempts,
            nextAttemptAt: new Date(Date.now() + retryDelay(attempts, backoff, this.options.random)).toISOString(),
            lastError,
            attempt,
          }
        : { status: 'failed', attempts, nextAttemptAt: null, lastError, attempt };
      log.warn(
        { delivery: d.id, alert: d.alertId, target: redactUrl(d.url), attempts, error: lastError, retry },
        'webhook delivery attempt failed',
      );
    }
    await this.store.recordWebhookAttempt(d.id, outcome);
    await this.store.setAlertDeliveryStatus(d.alertId, await this.statusOfAlert(d.alertId));
  }

  /** An alert's delivery status over all its deliveries: pending while any is, failed if any failed. */
  private async statusOfAlert(alertId: string): Promise<AlertDeliveryStatus> {
    const all = await this.store.webhooksOfAlert(alertId);
    if (all.length === 0) return 'none';
    if (all.some((d) => d.status === 'pending')) return 'pending';
    if (all.some((d) => d.status === 'failed')) return 'failed';
    return 'delivered';
  }
}

/** A short reason without the URL (fetch errors can carry it in their cause). */
function describeFailure(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; cause?: { code?: string; name?: string } };
  if (e.name === 'TimeoutError' || e.cause?.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  if (typeof e.cause?.code === 'string') return `connection failed (${e.cause.code})`;
  return 'request failed';
}
