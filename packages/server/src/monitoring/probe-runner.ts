// Runs a model's ground-truth probes: against a version (on request, and as the `probes` gate at every alias move)
// and, every N minutes, against each endpoint serving the model: the primary route through this server's real
// predict path (routing, validation, preprocessing, model, answer), canary and shadow through the same loaded models
// the endpoint scores with. Every run is stored; a failing live run raises a critical `probe_failure` alert.

import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { FeatureRecord } from '@modelyard/engine';
import type { Prediction, Probe, ProbeResult, ProbeRoute, ProbeRun } from '@modelyard/client';
import { notFound } from '../errors.js';
import type { Services } from '../services.js';
import type { LoadedModel } from '../serving/loaded-model.js';
import type { RouteState } from '../serving/serving-runtime.js';
import type { EndpointRecord, ModelRecord, ModelVersionRecord } from '../store/metadata-store.js';
import type { ProbeSetRecord } from '../store/probe-store.js';
import { PROBE_HEADER, PROBE_USER } from './probe-auth.js';
import { checkProbe, unscoredProbe } from './probe-check.js';

/** What a failing live probe raises (the alerts room delivers it: webhooks, the alert list). */
export interface ProbeAlert {
  projectId: string;
  endpointId: string;
  modelId: string;
  kind: 'probe_failure';
  severity: 'critical';
  message: string;
  details: Record<string, unknown>;
}

/** The one method of the alerts room the prober needs. */
export interface ProbeAlertSink {
  raise(alert: ProbeAlert): Promise<void>;
}

/** How often the scheduler looks for probe sets that are due. */
const TICK_MS = 30_000;

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Each probe's result on a loaded model: records it cannot take fail with the reason, the rest are scored. */
export async function scoreProbes(model: LoadedModel, probes: Probe[]): Promise<ProbeResult[]> {
  const { valid, results } = splitValid(model, probes);
  if (valid.length > 0) {
    try {
      const scored = await model.score(valid.map((i) => probes[i]!.record as FeatureRecord));
      valid.forEach((i, k) => (results[i] = checkProbe(probes[i]!, scored.predictions[k]!)));
    } catch (error) {
      for (const i of valid) results[i] = unscoredProbe(probes[i]!, `Scoring failed: ${message(error)}`);
    }
  }
  return results as ProbeResult[];
}

/** The probes whose records the model takes, and failed results for the others. */
function splitValid(model: LoadedModel, probes: Probe[]): { valid: number[]; results: (ProbeResult | undefined)[] } {
  const results: (ProbeResult | undefined)[] = probes.map(() => undefined);
  const issues = model.validate(probes.map((p) => p.record));
  for (const issue of issues) {
    const probe = probes[issue.row];
    if (probe === undefined || results[issue.row] !== undefined) continue;
    const problem = issue.problem.replace('_', ' ');
    results[issue.row] = unscoredProbe(
      probe,
      `The model cannot take the record: field '${issue.field}' is ${problem}` +
        (issue.expected ? ` (expected ${issue.expected}).` : '.'),
    );
  }
  const valid = probes.flatMap((_, i) => (results[i] === undefined ? [i] : []));
  return { valid, results };
}

/** A gate's verdict from a probe run, naming every failing probe. */
export function gateVerdict(run: ProbeRun): { passed: boolean; reason: string } {
  if (run.passed) return { passed: true, reason: `All ${run.results.length} probe(s) passed (run ${run.id}).` };
  const failing = run.results.filter((r) => !r.passed);
  return {
    passed: false,
    reason:
      `${failing.length} of ${run.results.length} probe(s) failed (run ${run.id}): ` +
      failing.map((r) => `${r.name} — ${r.reason}`).join('; '),
  };
}

export class ProbeRunner {
  /** Authenticates this server's own probe calls to its predict path (monitoring/probe-auth.ts); never leaves it. */
  readonly internalToken = `myp_${randomBytes(32).toString('base64url')}`;
  #serverUrl: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  /** When each scheduled model's endpoints were last probed (ms). */
  readonly #lastProbed = new Map<string, number>();

  constructor(
    private readonly services: () => Services,
    private readonly log: FastifyBaseLogger,
  ) {}

  setServerUrl(url: string): void {
    this.#serverUrl = url.replace(/\/+$/, '');
  }

  /** Starts the schedule: probe sets are checked every `tickMs` and run when their interval has passed. */
  start(tickMs = TICK_MS): void {
    this.#timer ??= setInterval(() => void this.tick(), tickMs).unref();
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#ticking;
  }

  async probeSetOf(model: ModelRecord): Promise<ProbeSetRecord> {
    const set = await this.services().store.getProbeSet(model.id);
    if (!set) throw notFound('probe_set', model.name);
    return set;
  }

  /** Runs the model's probes on one version, loaded as endpoints load it, and stores the run. */
  async runVersion(
    model: ModelRecord,
    version: ModelVersionRecord,
    trigger: 'manual' | 'gate',
    by: string,
  ): Promise<ProbeRun> {
    const set = await this.probeSetOf(model);
    const { store, serving } = this.services();
    let results: ProbeResult[];
    try {
      results = await scoreProbes(await serving.runtime.loadRun(version.runId), set.probes);
    } catch (error) {
      const reason = `Version ${version.version} cannot be loaded: ${message(error)}`;
      results = set.probes.map((p) => unscoredProbe(p, reason));
    }
    return store.addProbeRun({
      projectId: model.projectId,
      modelId: model.id,
      version: version.version,
      endpointId: null,
      route: null,
      trigger,
      results,
      createdBy: by,
    });
  }

  /** The `probes` gate: a fresh, stored run on the version; fails when the model has no probe set. */
  async gate(
    model: ModelRecord,
    version: ModelVersionRecord,
    by: string,
  ): Promise<{ passed: boolean; reason: string }> {
    if (!(await this.services().store.getProbeSet(model.id))) {
      return { passed: false, reason: `${model.name} has no probe set (PUT /models/{m}/probes).` };
    }
    return gateVerdict(await this.runVersion(model, version, 'gate', by));
  }

  /**
   * Probes every route of the endpoint whose model has a probe set: the primary through the HTTP predict path,
   * canary and shadow on their loaded models. Stores one run per route; failures raise an alert.
   */
  async probeEndpoint(endpoint: EndpointRecord, trigger: 'manual' | 'schedule', by: string): Promise<ProbeRun[]> {
    const { store, serving } = this.services();
    const state = await serving.runtime.state(endpoint);
    const sets = new Map<string, ProbeSetRecord | undefined>();
    const runs: ProbeRun[] = [];
    const routes: [ProbeRoute, RouteState | undefined][] = [
      ['primary', state.primary],
      ['canary', state.canary],
      ['shadow', state.shadow],
    ];
    for (const [name, route] of routes) {
      if (route === undefined) continue;
      if (!sets.has(route.modelId)) sets.set(route.modelId, await store.getProbeSet(route.modelId));
      const set = sets.get(route.modelId);
      if (set === undefined) continue;
      const { results, version } =
        name === 'primary'
          ? await this.throughPredict(endpoint, route, set.probes)
          : { results: await scoreProbes(route.model, set.probes), version: route.version };
      const run = await store.addProbeRun({
        projectId: endpoint.projectId,
        modelId: route.modelId,
        version,
        endpointId: endpoint.id,
        route: name,
        trigger,
        results,
        createdBy: by,
      });
      runs.push(run);
      if (!run.passed) await this.alert(endpoint, route, run);
    }
    return runs;
  }

  /** Sends the probes through this server's own predict route, as a client would, marked as probes. */
  private async throughPredict(
    endpoint: EndpointRecord,
    route: RouteState,
    probes: Probe[],
  ): Promise<{ results: ProbeResult[]; version: number }> {
    // Records the model cannot take would fail the whole request: they fail alone, with their own reason.
    const { valid, results } = splitValid(route.model, probes);
    let version = route.version;
    if (valid.length > 0) {
      const fail = (reason: string) => valid.forEach((i) => (results[i] = unscoredProbe(probes[i]!, reason)));
      if (this.#serverUrl === undefined) fail('The server is not listening yet.');
      else {
        try {
          const response = await fetch(`${this.#serverUrl}/api/v1/endpoints/${endpoint.id}/predict`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${this.internalToken}`,
              'content-type': 'application/json',
              [PROBE_HEADER]: '1',
            },
            body: JSON.stringify({ records: valid.map((i) => probes[i]!.record) }),
            signal: AbortSignal.timeout(30_000),
          });
          const body = (await response.json()) as {
            predictions?: Prediction[];
            modelVersion?: number;
            error?: { code: string; message: string };
          };
          if (!response.ok || body.predictions === undefined) {
            fail(`Predict answered ${response.status}: ${body.error?.message ?? 'no predictions'}`);
          } else {
            version = body.modelVersion ?? version;
            valid.forEach((i, k) => (results[i] = checkProbe(probes[i]!, body.predictions![k]!)));
          }
        } catch (error) {
          fail(`Predict call failed: ${message(error)}`);
        }
      }
    }
    return { results: results as ProbeResult[], version };
  }

  private async alert(endpoint: EndpointRecord, route: RouteState, run: ProbeRun): Promise<void> {
    const failing = run.results.filter((r) => !r.passed);
    const alerts = this.services().alerts;
    try {
      await alerts?.raise({
        projectId: endpoint.projectId,
        endpointId: endpoint.id,
        modelId: route.modelId,
        kind: 'probe_failure',
        severity: 'critical',
        message:
          `${failing.length} of ${run.results.length} probe(s) failed on endpoint '${endpoint.name}' ` +
          `(${run.route} route, ${route.ref} version ${run.version}): ` +
          failing
            .slice(0, 5)
            .map((r) => `${r.name} — ${r.reason}`)
            .join('; '),
        details: {
          probeRun: run.id,
          route: run.route,
          model: route.ref,
          version: run.version,
          failing: failing.map((r) => ({ name: r.name, reason: r.reason, actual: r.actual })),
        },
      });
    } catch (error) {
      this.log.error({ err: error, endpoint: endpoint.id, probeRun: run.id }, 'probe alert failed');
    }
  }

  /** Probes the endpoints of every model whose schedule is due; one tick at a time. */
  tick(now = Date.now()): Promise<void> {
    this.#ticking ??= this.#tick(now)
      .catch((error: unknown) => this.log.error({ err: error }, 'probe schedule failed'))
      .finally(() => (this.#ticking = undefined));
    return this.#ticking;
  }

  async #tick(now: number): Promise<void> {
    const { store } = this.services();
    for (const set of await store.listScheduledProbeSets()) {
      const last = this.#lastProbed.get(set.modelId);
      if (set.schedule === null || (last !== undefined && now - last < set.schedule.everyMinutes * 60_000)) continue;
      this.#lastProbed.set(set.modelId, now);
      const model = await store.getModel(set.modelId);
      if (!model) continue;
      for (const endpoint of await store.listEndpointsOfModel(model.projectId, model.name)) {
        try {
          await this.probeEndpoint(endpoint, 'schedule', PROBE_USER.id);
        } catch (error) {
          this.log.warn({ err: error, endpoint: endpoint.id }, 'live probe failed to run');
        }
      }
    }
  }
}
