// What each endpoint serves right now: its routes (primary, canary, shadow) resolved to loaded model versions. A
// route swaps to a new version only once that version has loaded, so requests never wait on a swap and never fail
// because of one; a version that fails to load leaves the old one serving and says why (`loadError`).

import type { EndpointRecord, MetadataStore } from '../store/metadata-store.js';
import { resolveModelRef } from '../registry/model-ref.js';
import { ModelyardError } from '../errors.js';
import type { LoadedModel } from './loaded-model.js';

export interface RouteState {
  ref: string;
  modelId: string;
  version: number;
  model: LoadedModel;
  share: number;
}

export interface EndpointState {
  endpoint: EndpointRecord;
  primary: RouteState | undefined;
  canary: RouteState | undefined;
  shadow: RouteState | undefined;
  /** Why a route serves an older version or nothing, or null. */
  loadError: string | null;
}

interface Entry {
  state: EndpointState;
  checkedAt: number;
  refreshing: Promise<EndpointState> | undefined;
  inFlight: number;
  waiting: (() => void)[];
}

/** Concurrent requests an endpoint scores unless told otherwise. */
export const DEFAULT_MAX_CONCURRENCY = 256;

/** Another replica may move an alias: cached routes are re-checked at most this often. */
const REVALIDATE_MS = 1000;

export type ModelLoader = (runId: string) => Promise<LoadedModel>;

export class ServingRuntime {
  private readonly entries = new Map<string, Entry>();
  private readonly accessCache = new Map<string, { role: string; at: number }>();

  constructor(
    private readonly store: MetadataStore,
    private readonly load: ModelLoader,
  ) {}

  /** The endpoint's current routes; the first call loads them, later calls re-check in the background. */
  async state(endpoint: EndpointRecord): Promise<EndpointState> {
    const entry = this.entries.get(endpoint.id);
    if (entry === undefined) {
      const state = await this.resolve(endpoint, undefined);
      const existing = this.entries.get(endpoint.id);
      if (existing) return existing.state;
      this.entries.set(endpoint.id, { state, checkedAt: Date.now(), refreshing: undefined, inFlight: 0, waiting: [] });
      return state;
    }
    if (Date.now() - entry.checkedAt > REVALIDATE_MS && entry.refreshing === undefined) {
      void this.refresh(endpoint.id).catch(() => undefined);
    }
    return entry.state;
  }

  /** Re-resolves an endpoint now (after a PATCH, or an alias move of a model it serves). */
  async refresh(endpointId: string): Promise<EndpointState | undefined> {
    const entry = this.entries.get(endpointId);
    if (entry === undefined) return undefined;
    if (entry.refreshing) await entry.refreshing;
    const refreshing = (async () => {
      const endpoint = await this.store.getEndpoint(endpointId);
      if (!endpoint) {
        this.entries.delete(endpointId);
        return entry.state;
      }
      entry.state = await this.resolve(endpoint, entry.state);
      entry.checkedAt = Date.now();
      return entry.state;
    })();
    entry.refreshing = refreshing;
    try {
      return await refreshing;
    } finally {
      entry.refreshing = undefined;
    }
  }

  /** Refreshes every loaded endpoint of the project that names the model; resolves when they serve the move. */
  async modelMoved(projectId: string, modelName: string): Promise<void> {
    const names = (ref: string | undefined) => ref !== undefined && ref.startsWith(`${modelName}@`);
    const affected = [...this.entries.values()].filter(({ state: { endpoint: e } }) => {
      if (e.projectId !== projectId) return false;
      return names(e.modelRef) || names(e.canary?.modelRef) || names(e.shadow?.modelRef);
    });
    await Promise.all(affected.map((entry) => this.refresh(entry.state.endpoint.id)));
  }

  /** Loads a run's model exactly as endpoints do (ground-truth probes score versions through it). */
  loadRun(runId: string): Promise<LoadedModel> {
    return this.load(runId);
  }

  /** Resolves and loads a reference as an endpoint would, throwing `model_unloadable` (409) when it cannot load. */
  async checkLoads(projectId: string, ref: string): Promise<{ version: number }> {
    const { version } = await resolveModelRef(this.store, projectId, ref);
    try {
      await this.load(version.runId);
    } catch (error) {
      throw new ModelyardError(
        409,
        'model_unloadable',
        `${ref} (version ${version.version}) cannot be loaded: ${error instanceof Error ? error.message : String(error)}`,
        { model: ref, version: version.version },
      );
    }
    return { version: version.version };
  }

  /**
   * The endpoint record and the caller's role on its project for a predict call, from memory when checked within
   * REVALIDATE_MS (the same staleness replicas accept for alias moves), so scoring costs no metadata reads.
   */
  async access(
    endpointId: string,
    userKey: string,
    lookup: () => Promise<{ endpoint: EndpointRecord; role: string }>,
  ): Promise<{ endpoint: EndpointRecord; role: string }> {
    const key = `${endpointId}\u0000${userKey}`;
    const hit = this.accessCache.get(key);
    const entry = this.entries.get(endpointId);
    if (hit && entry && Date.now() - hit.at <= REVALIDATE_MS) return { endpoint: entry.state.endpoint, role: hit.role };
    const found = await lookup();
    if (this.accessCache.size > 10_000) this.accessCache.clear();
    this.accessCache.set(key, { role: found.role, at: Date.now() });
    return found;
  }

  forget(endpointId: string): void {
    this.entries.delete(endpointId);
  }

  /**
   * Takes one of the endpoint's concurrency slots; waits for one when all are taken and up to as many others wait,
   * beyond that refuses with 429 so an overloaded endpoint sheds load instead of collapsing.
   */
  async admit(endpoint: EndpointRecord): Promise<() => void> {
    const entry = this.entries.get(endpoint.id);
    if (entry === undefined) return () => undefined;
    const limit = endpoint.maxConcurrency;
    if (entry.inFlight >= limit) {
      if (entry.waiting.length >= limit) {
        throw new ModelyardError(
          429,
          'too_many_requests',
          `Endpoint '${endpoint.name}' is at its limit of ${limit} concurrent requests; retry shortly.`,
          { maxConcurrency: limit },
        );
      }
      await new Promise<void>((resolve) => entry.waiting.push(resolve));
    } else {
      entry.inFlight++;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = entry.waiting.shift();
      // A waiter inherits the slot; otherwise it is freed.
      if (next) next();
      else entry.inFlight--;
    };
  }

  private async resolve(endpoint: EndpointRecord, previous: EndpointState | undefined): Promise<EndpointState> {
    const errors: string[] = [];
    const route = async (
      name: 'primary' | 'canary' | 'shadow',
      ref: string | undefined,
      share: number,
    ): Promise<RouteState | undefined> => {
      if (ref === undefined) return undefined;
      const old = previous?.[name];
      try {
        const { model, version } = await resolveModelRef(this.store, endpoint.projectId, ref);
        if (old && old.ref === ref && old.modelId === model.id && old.version === version.version) {
          return { ...old, share };
        }
        const loaded = await this.load(version.runId);
        return { ref, modelId: model.id, version: version.version, model: loaded, share };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        errors.push(`${name} ${ref}: ${message}`);
        // Keep serving what was served: a version that does not load never replaces one that does.
        return old && { ...old, share };
      }
    };
    const [primary, canary, shadow] = await Promise.all([
      route('primary', endpoint.modelRef, 1),
      route('canary', endpoint.canary?.modelRef, endpoint.canary?.share ?? 0),
      route('shadow', endpoint.shadow?.modelRef, endpoint.shadow?.share ?? 0),
    ]);
    return { endpoint, primary, canary, shadow, loadError: errors.length > 0 ? errors.join('; ') : null };
  }
}
